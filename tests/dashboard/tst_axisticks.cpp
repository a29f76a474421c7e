// SPDX-License-Identifier: Apache-2.0
#include "dashboard/axisticks.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <cmath>
#include <limits>

using namespace vigil::dashboard;

Q_DECLARE_METATYPE(vigil::dashboard::AxisScale)

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool isOneTwoFive(double step) {
    const double m = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    const double f = step / m;
    return std::abs(f - 1) < 1e-9 || std::abs(f - 2) < 1e-9 || std::abs(f - 5) < 1e-9;
}
} // namespace

/// The ticks of a dashboard value axis: readable, distinct, and within what the unit allows.
class TestAxisTicks : public QObject {
    Q_OBJECT

    static void checkReadable(const AxisTicks &t, double lo, double hi, int maxTicks) {
        QVERIFY2(t.labels.size() >= 2 && t.labels.size() <= maxTicks,
                 qPrintable(t.labels.join(u' ')));
        QCOMPARE(t.labels.size(), t.values.size());
        QCOMPARE(QSet<QString>(t.labels.begin(), t.labels.end()).size(), t.labels.size());
        for (const auto &label : t.labels)
            QVERIFY2(!label.startsWith(QLatin1String("-0")) ||
                         label.contains(QRegularExpression(QStringLiteral("[1-9]"))),
                     qPrintable(label));
        QVERIFY(isOneTwoFive(t.step));
        QCOMPARE(t.values.first(), t.min);
        QCOMPARE(t.values.last(), t.max);
        if (std::isfinite(lo) && std::isfinite(hi) && lo <= hi) {
            QVERIFY2(t.min <= lo + t.step * 1e-6 || lo < 0, qPrintable(t.labels.join(u' ')));
            QVERIFY2(t.max >= hi - t.step * 1e-6 || hi > 100, qPrintable(t.labels.join(u' ')));
        }
    }

private Q_SLOTS:
    void ticks_data() {
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::addColumn<AxisScale>("scale");
        QTest::addColumn<QString>("expected"); // the labels, when the row pins them
        const auto L = AxisScale::Linear;
        const auto P = AxisScale::Percent;
        const auto W = AxisScale::WholeNumbers;
        QTest::newRow("flat zero (was 0.0 0.0 -0.0)") << 0.0 << 0.0 << L << "-1.0 -0.5 0.0 0.5 1.0";
        QTest::newRow("flat 0.6 (was 0.6 six times)") << 0.6 << 0.6 << L << "";
        QTest::newRow("narrow 0.598–0.603") << 0.598 << 0.603 << L << "";
        QTest::newRow("narrow around zero") << -0.0003 << 0.0002 << L << "";
        QTest::newRow("cpu % (was -6.9 to 107.9)") << 0.4 << 99.6 << P << "0 20 40 60 80 100";
        QTest::newRow("cpu % beyond 100 is clamped") << -3.0 << 112.0 << P << "0 20 40 60 80 100";
        QTest::newRow("flat 100 %") << 100.0 << 100.0 << P << "";
        QTest::newRow("flat 0 %") << 0.0 << 0.0 << P << "";
        QTest::newRow("empty (was 1 1 1 0 0)") << kNaN << kNaN << L << "0.0 0.2 0.4 0.6 0.8 1.0";
        QTest::newRow("empty %") << kNaN << kNaN << P << "0 20 40 60 80 100";
        QTest::newRow("seconds 0–5 (was 0 1 3 4 5)") << 0.0 << 5.0 << W << "0 1 2 3 4 5";
        QTest::newRow("seconds 0–37") << 0.0 << 37.0 << W << "0 10 20 30 40";
        QTest::newRow("seconds 0–0.4") << 0.0 << 0.4 << W << "0 1";
        QTest::newRow("temperatures") << 12.3 << 47.9 << L << "10 20 30 40 50";
        QTest::newRow("pressure") << 138.2 << 161.7 << L << "135 140 145 150 155 160 165";
        QTest::newRow("large") << 1.2e6 << 9.7e6 << L << "";
        QTest::newRow("negative") << -47.0 << -12.0 << L << "-50 -40 -30 -20 -10";
    }

    void ticks() {
        QFETCH(double, lo);
        QFETCH(double, hi);
        QFETCH(AxisScale, scale);
        QFETCH(QString, expected);
        const AxisTicks t = niceTicks(lo, hi, 7, scale);
        checkReadable(t, lo, hi, 7);
        if (!expected.isEmpty())
            QCOMPARE(t.labels.join(u' '), expected);
        if (scale == AxisScale::Percent) {
            QVERIFY(t.min >= 0);
            QVERIFY(t.max <= 100);
        }
        if (scale == AxisScale::WholeNumbers) {
            for (double v : t.values)
                QCOMPARE(v, std::round(v));
        }
        if (lo == hi) { // a flat series sits inside the range, not on its edge
            QVERIFY(t.min < lo || lo == 0);
            QVERIFY(t.max > hi || hi == 100);
        }
    }

    /// Any range at any tick budget: 1-2-5 steps, distinct labels, the data inside.
    void randomRangesStayReadable() {
        QRandomGenerator rng(12);
        for (int i = 0; i < 2000; ++i) {
            const double scale = std::pow(10.0, rng.bounded(13.0) - 6.0);
            const double a = (rng.bounded(2.0) - 1) * scale;
            const double b = a + rng.bounded(1.0) * scale * (i % 5 == 0 ? 1e-7 : 1);
            const int maxTicks = 3 + int(rng.bounded(8));
            const AxisTicks t = niceTicks(a, b, maxTicks);
            checkReadable(t, a, b, maxTicks);
            if (QTest::currentTestFailed()) {
                qWarning() << "range" << a << b << "ticks" << maxTicks;
                return;
            }
        }
    }

    void timeLabelsFitTheirWidth_data() {
        QTest::addColumn<double>("plotWidth");
        QTest::addColumn<int>("expected");
        QTest::newRow("narrow chart, two axes") << 120.0 << 2;
        QTest::newRow("a quarter of 1600 px beside the side panel") << 190.0 << 3;
        QTest::newRow("a third") << 260.0 << 4;
        QTest::newRow("half of 1600 px") << 600.0 << 6;
        QTest::newRow("tiny") << 20.0 << 2;
    }

    void timeLabelsFitTheirWidth() {
        QFETCH(double, plotWidth);
        QFETCH(int, expected);
        const double labelWidth = 55; // "00:00:00" in the default font
        const int n = timeTickCount(plotWidth, labelWidth);
        QCOMPARE(n, expected);
        if (n > 2)
            QVERIFY(plotWidth / n >= labelWidth * 1.05);
    }

    void timeTicksFallOnRoundMoments_data() {
        QTest::addColumn<qint64>("spanMs");
        QTest::addColumn<int>("maxLabels");
        QTest::addColumn<qint64>("utcOffsetMs");
        QTest::addColumn<qint64>("stepMs");
        QTest::newRow("a minute, 6 labels") << qint64(60000) << 6 << qint64(0) << qint64(15000);
        QTest::newRow("a minute, 3 labels") << qint64(60000) << 3 << qint64(0) << qint64(30000);
        QTest::newRow("10 s, 6 labels") << qint64(10000) << 6 << qint64(0) << qint64(2000);
        QTest::newRow("10 min, 6 labels") << qint64(600000) << 6 << qint64(0) << qint64(120000);
        QTest::newRow("an hour, 5 labels") << qint64(3600000) << 5 << qint64(0) << qint64(900000);
        QTest::newRow("a day at +05:30, 6 labels")
            << qint64(86400000) << 6 << qint64(19800000) << qint64(21600000);
        QTest::newRow("two seconds, 2 labels") << qint64(2000) << 2 << qint64(0) << qint64(2000);
    }

    void timeTicksFallOnRoundMoments() {
        QFETCH(qint64, spanMs);
        QFETCH(int, maxLabels);
        QFETCH(qint64, utcOffsetMs);
        QFETCH(qint64, stepMs);
        const qint64 from = 1764547200000 + 1234; // 2025-12-01 00:00:01.234 UTC
        const TimeTicks t = timeTicks(from, from + spanMs, maxLabels, utcOffsetMs);
        QCOMPARE(t.stepMs, stepMs);
        QVERIFY(!t.times.isEmpty());
        QVERIFY(t.times.size() <= maxLabels);
        for (qsizetype i = 0; i < t.times.size(); ++i) {
            QVERIFY(t.times[i] >= from && t.times[i] <= from + spanMs);
            QCOMPARE((t.times[i] + utcOffsetMs) % stepMs, 0);
            if (i > 0)
                QCOMPARE(t.times[i] - t.times[i - 1], stepMs);
        }
        // The first label is the first round moment of the range: none is skipped at the left.
        QVERIFY(t.times.first() - stepMs < from);
    }

    /// Scrolling by less than a step keeps every label that is still in range, at its moment:
    /// labels move with the data instead of changing their text in place.
    void timeTicksScrollWithTheData() {
        const qint64 from = 1764547200000;
        const TimeTicks before = timeTicks(from, from + 60000, 5);
        for (qint64 shift = 40; shift < 15000; shift += 40) {
            const TimeTicks after = timeTicks(from + shift, from + 60000 + shift, 5);
            QCOMPARE(after.stepMs, before.stepMs);
            for (const qint64 t : before.times) {
                if (t >= from + shift)
                    QVERIFY2(after.times.contains(t), qPrintable(QString::number(shift)));
            }
        }
    }

    void timeTicksOfAnEmptyRangeAreNone() {
        QVERIFY(timeTicks(1000, 1000, 5).times.isEmpty());
        QVERIFY(timeTicks(2000, 1000, 5).times.isEmpty());
        QVERIFY(timeTicks(1000, 5000, 0).times.isEmpty());
    }

    void readingsPrintWithoutExponents_data() {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("power") << 2355470.4 << QStringLiteral("2355470");
        QTest::newRow("negative large") << -123456.7 << QStringLiteral("-123457");
        QTest::newRow("temperature") << 150.444 << QStringLiteral("150.44");
        QTest::newRow("zero") << 0.0 << QStringLiteral("0.00");
        QTest::newRow("small") << 0.004213 << QStringLiteral("0.00421");
    }

    void readingsPrintWithoutExponents() {
        QFETCH(double, value);
        QFETCH(QString, text);
        QCOMPARE(formatReading(value), text);
    }
};

QTEST_GUILESS_MAIN(TestAxisTicks)
#include "tst_axisticks.moc"
