// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/sleep.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil::async;
using vigil::test::drive;

namespace {
QCoro::Task<Clock::Duration> timedSleep(VirtualClock &clock, Clock::Duration d, std::stop_token t) {
    const auto start = clock.now();
    co_await sleepFor(clock, d, t);
    co_return clock.now() - start;
}

QCoro::Task<> sleepThenRecord(Clock &clock, Clock::Duration d, QList<int> &order, int id) {
    co_await sleepFor(clock, d);
    order << id;
}

QCoro::Task<> sleepAll(Clock &clock, QList<int> &order) {
    auto a = sleepThenRecord(clock, 300ms, order, 3);
    auto b = sleepThenRecord(clock, 100ms, order, 1);
    auto c = sleepThenRecord(clock, 200ms, order, 2);
    co_await a;
    co_await b;
    co_await c;
}
} // namespace

class TestSleep : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sleepTakesVirtualTimeNotRealTime() {
        VirtualClock clock;
        QElapsedTimer wall;
        wall.start();
        const auto slept = drive(timedSleep(clock, 1h, {}), &clock);
        QVERIFY(slept.isOk());
        QCOMPARE(slept.value(), Clock::Duration(1h));
        QVERIFY(wall.elapsed() < 5000);
    }

    void concurrentSleepsEndInDeadlineOrder() {
        VirtualClock clock;
        QList<int> order;
        QVERIFY(drive(sleepAll(clock, order), &clock).isOk());
        QCOMPARE(order, (QList<int>{1, 2, 3}));
        QCOMPARE(clock.elapsed(), Clock::Duration(300ms));
    }

    void cancelledSleepThrowsAndLeavesNoTimer() {
        VirtualClock clock;
        std::stop_source source;
        clock.callAfter(50ms, [&] { source.request_stop(); });
        const auto slept = drive(timedSleep(clock, 10s, source.get_token()), &clock);
        QVERIFY(slept.isCancelled());
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
        QCOMPARE(clock.elapsed(), Clock::Duration(50ms));
    }

    void stoppedTokenThrowsWithoutWaiting() {
        VirtualClock clock;
        std::stop_source source;
        source.request_stop();
        const auto slept = drive(timedSleep(clock, 10s, source.get_token()), &clock);
        QVERIFY(slept.isCancelled());
        QCOMPARE(clock.elapsed(), Clock::Duration(0));
    }

    void zeroSleepCompletesAtOnce() {
        VirtualClock clock;
        const auto slept = drive(timedSleep(clock, 0ms, {}), &clock);
        QVERIFY(slept.isOk());
        QCOMPARE(slept.value(), Clock::Duration(0));
    }

    void realSleepWaitsAtLeastItsDuration() {
        QElapsedTimer wall;
        wall.start();
        QList<int> order;
        QVERIFY(drive(sleepThenRecord(Clock::system(), 40ms, order, 1)).isOk());
        QVERIFY(wall.elapsed() >= 39);
        QCOMPARE(order, QList<int>{1});
    }
};

QTEST_GUILESS_MAIN(TestSleep)
#include "tst_sleep.moc"
