// SPDX-License-Identifier: Apache-2.0
#include "async/bytebudget.h"
#include "async/clock.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil::async;

/// The shared bandwidth cap, on a virtual clock: what it grants now and when it grants again.
class TestByteBudget : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void unlimitedGrantsEverything() {
        VirtualClock clock;
        ByteBudget budget(clock, 0);
        QVERIFY(budget.unlimited());
        QCOMPARE(budget.grant(1 << 30), qint64(1 << 30));
        QCOMPARE(budget.availableAt(1 << 30), clock.now());
    }

    void burstIsATenthOfASecondAtLeast16KiB_data() {
        QTest::addColumn<qint64>("rate");
        QTest::addColumn<qint64>("burst");
        QTest::newRow("10 MB/s: 1 MB at once") << qint64(10'000'000) << qint64(1'000'000);
        QTest::newRow("1 KB/s: the 16 KiB floor") << qint64(1000) << qint64(16 * 1024);
    }
    void burstIsATenthOfASecondAtLeast16KiB() {
        QFETCH(qint64, rate);
        QFETCH(qint64, burst);
        VirtualClock clock;
        ByteBudget budget(clock, rate);
        QCOMPARE(budget.grant(qint64(1) << 40), burst);
        QCOMPARE(budget.grant(1), qint64(0)); // empty until time passes
    }

    void grantsFollowTheRateOverTime() {
        // 1 MB/s for 10 virtual seconds: what a greedy reader gets is the burst plus 10 MB.
        VirtualClock clock;
        const qint64 rate = 1'000'000;
        ByteBudget budget(clock, rate);
        qint64 total = budget.grant(rate);
        QCOMPARE(total, rate / 10);
        for (int i = 0; i < 1000; ++i) {
            clock.advance(10ms);
            const qint64 got = budget.grant(rate);
            QVERIFY(got >= 0);
            total += got;
        }
        QCOMPARE(total, rate / 10 + 10 * rate);
    }

    void unusedTimeDoesNotPileUpBeyondTheBurst() {
        VirtualClock clock;
        ByteBudget budget(clock, 1'000'000);
        QCOMPARE(budget.grant(10'000'000), qint64(100'000));
        clock.advance(1h);
        QCOMPARE(budget.grant(10'000'000), qint64(100'000));
    }

    void availableAtIsWhenTheBytesAreThere() {
        VirtualClock clock;
        ByteBudget budget(clock, 1'000'000); // 1 byte per µs, burst 100,000
        QCOMPARE(budget.grant(100'000), qint64(100'000));
        const auto at = budget.availableAt(50'000);
        QCOMPARE(at - clock.now(), Clock::Duration(50ms));
        clock.advanceTo(at - 1ms);
        QCOMPARE(budget.availableAt(50'000), at); // asking again does not move the time
        clock.advanceTo(at);
        QCOMPARE(budget.grant(60'000), qint64(50'000)); // by then, exactly that much
    }

    void availableAtCapsAskingAtTheBurst() {
        VirtualClock clock;
        ByteBudget budget(clock, 1'000'000);
        (void)budget.grant(100'000);
        // A reader wanting more than a burst never waits longer than a full refill.
        QCOMPARE(budget.availableAt(5'000'000) - clock.now(), Clock::Duration(100ms));
    }
};

QTEST_GUILESS_MAIN(TestByteBudget)
#include "tst_bytebudget.moc"
