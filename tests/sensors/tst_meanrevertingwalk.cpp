// SPDX-License-Identifier: Apache-2.0
#include "sensors/meanrevertingwalk.h"

#include <QTest>

#include <cmath>

using vigil::sensors::MeanRevertingWalk;

class TestMeanRevertingWalk : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameSeedGivesSameSequence() {
        MeanRevertingWalk a(150, 2, 0.1, 42), b(150, 2, 0.1, 42), c(150, 2, 0.1, 43);
        bool differs = false;
        for (int i = 0; i < 1000; ++i) {
            const double va = a.next();
            QCOMPARE(va, b.next());
            differs |= va != c.next();
        }
        QVERIFY(differs);
    }

    void revertsTowardTheSetpoint() {
        // Without noise every step closes exactly 10 % of the gap.
        MeanRevertingWalk walk(5.0, 0.0, 0.1, 1);
        walk.setValue(50.0);
        double gap = 45.0;
        for (int i = 0; i < 30; ++i) {
            walk.next();
            gap *= 0.9;
            QVERIFY(std::abs((walk.value() - 5.0) - gap) < 1e-9);
        }
        // With noise the long-run mean is still the setpoint.
        MeanRevertingWalk noisy(150.0, 2.0, 0.1, 7);
        double sum = 0;
        const int n = 20000;
        for (int i = 0; i < n; ++i)
            sum += noisy.next();
        QVERIFY2(std::abs(sum / n - 150.0) < 0.5, qPrintable(QString::number(sum / n)));
    }

    void spreadMatchesTheStationaryDeviation() {
        // x' = (1-a)(x + e): the stationary variance is (1-a)^2 s^2 / (1 - (1-a)^2).
        const double a = 0.1, s = 2.0;
        const double expected = std::sqrt((1 - a) * (1 - a) * s * s / (1 - (1 - a) * (1 - a)));
        MeanRevertingWalk walk(0.0, s, a, 99);
        double sumSq = 0;
        const int n = 50000;
        for (int i = 0; i < n; ++i) {
            const double v = walk.next();
            sumSq += v * v;
        }
        const double measured = std::sqrt(sumSq / n);
        QVERIFY2(std::abs(measured - expected) / expected < 0.05,
                 qPrintable(QStringLiteral("%1 vs %2").arg(measured).arg(expected)));
    }
};

QTEST_GUILESS_MAIN(TestMeanRevertingWalk)
#include "tst_meanrevertingwalk.moc"
