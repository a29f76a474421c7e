// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/keyedratelimiter.h"
#include "async/ratelimiter.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil::async;
using vigil::test::drive;

namespace {
QCoro::Task<QList<Clock::Duration>> acquireMany(RateLimiter &limiter, VirtualClock &clock, int n) {
    QList<Clock::Duration> at;
    for (int i = 0; i < n; ++i) {
        co_await limiter.acquire();
        at << clock.elapsed();
    }
    co_return at;
}

QCoro::Task<Clock::Duration> acquireKey(KeyedRateLimiter &limiter, VirtualClock &clock,
                                        QString key) {
    co_await limiter.acquire(key);
    co_return clock.elapsed();
}

QCoro::Task<Clock::Duration> acquireKeyTimes(KeyedRateLimiter &limiter, VirtualClock &clock,
                                             QString key, int n) {
    for (int i = 0; i < n; ++i)
        co_await limiter.acquire(key);
    co_return clock.elapsed();
}

/// Two hosts drained side by side; each result is when that host's last token came.
QCoro::Task<std::pair<Clock::Duration, Clock::Duration>> drainTwoKeys(KeyedRateLimiter &limiter,
                                                                      VirtualClock &clock, int n) {
    auto a = acquireKeyTimes(limiter, clock, QStringLiteral("a.example:80"), n);
    auto b = acquireKeyTimes(limiter, clock, QStringLiteral("b.example:80"), n);
    const auto aDone = co_await a;
    const auto bDone = co_await b;
    co_return std::pair{aDone, bDone};
}

QCoro::Task<> acquireRecording(RateLimiter &limiter, QList<int> &order, int id,
                               std::stop_token token = {}) {
    co_await limiter.acquire(token);
    order << id;
}

QCoro::Task<> acquireInParallel(RateLimiter &limiter, QList<int> &order, int n) {
    std::vector<QCoro::Task<>> tasks;
    for (int i = 0; i < n; ++i)
        tasks.push_back(acquireRecording(limiter, order, i));
    for (auto &t : tasks)
        co_await t;
}
} // namespace

class TestRateLimiter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void burstIsAvailableAtOnce() {
        VirtualClock clock;
        RateLimiter limiter(clock, 50, 10);
        const auto at = drive(acquireMany(limiter, clock, 10), &clock);
        QCOMPARE(at.value().last(), Clock::Duration(0));
    }

    void hundredAcquisitionsNeedTheRate_data() {
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("burst");
        QTest::addColumn<int>("count");
        QTest::newRow("50/s burst 10, 100 acquisitions") << 50.0 << 10.0 << 100;
        QTest::newRow("10/s burst 1, 21 acquisitions") << 10.0 << 1.0 << 21;
        QTest::newRow("200/s burst 50, 450 acquisitions") << 200.0 << 50.0 << 450;
    }

    void hundredAcquisitionsNeedTheRate() {
        QFETCH(double, rate);
        QFETCH(double, burst);
        QFETCH(int, count);
        VirtualClock clock;
        RateLimiter limiter(clock, rate, burst);
        const auto at = drive(acquireMany(limiter, clock, count), &clock);
        QVERIFY(at.isOk());
        const double expectedSeconds = (count - burst) / rate;
        const double took = std::chrono::duration<double>(at.value().last()).count();
        QVERIFY2(took >= expectedSeconds - 1e-6, qPrintable(QString::number(took)));
        QVERIFY2(took <= expectedSeconds + 0.01, qPrintable(QString::number(took)));
        // No window of one second ever holds more than rate + burst grants.
        const auto &times = at.value();
        for (qsizetype i = 0, j = 0; i < times.size(); ++i) {
            while (times[i] - times[j] >= 1s)
                ++j;
            QVERIFY(double(i - j + 1) <= rate + burst);
        }
    }

    void unlimitedRateNeverWaits() {
        VirtualClock clock;
        RateLimiter limiter(clock, 0);
        const auto at = drive(acquireMany(limiter, clock, 1000), &clock);
        QCOMPARE(at.value().last(), Clock::Duration(0));
    }

    void waitersAreServedInArrivalOrder() {
        VirtualClock clock;
        RateLimiter limiter(clock, 100, 1);
        QList<int> order;
        QVERIFY(drive(acquireInParallel(limiter, order, 50), &clock).isOk());
        QList<int> expected;
        for (int i = 0; i < 50; ++i)
            expected << i;
        QCOMPARE(order, expected);
    }

    void eachKeyHasItsOwnBucket() {
        // 10/s per host, burst 1: 11 tokens take 1 s on each host, and the hosts run side by
        // side, so both finish at 1 s (one shared bucket would take 2.1 s).
        VirtualClock clock;
        KeyedRateLimiter limiter(clock, 10, 1);
        const auto done = drive(drainTwoKeys(limiter, clock, 11), &clock);
        QCOMPARE(done.value().first, Clock::Duration(1s));
        QCOMPARE(done.value().second, Clock::Duration(1s));
        QCOMPARE(limiter.keyCount(), std::size_t(2));
    }

    void pausedKeyHoldsRequestsUntilTheGivenTime() {
        VirtualClock clock;
        KeyedRateLimiter limiter(clock, 0);
        limiter.pauseUntil(QStringLiteral("a.example"), clock.now() + 2s);
        const auto a = drive(acquireKey(limiter, clock, QStringLiteral("a.example")), &clock);
        QCOMPARE(a.value(), Clock::Duration(2s));
    }

    void pauseAffectsOnlyItsKey() {
        VirtualClock clock;
        KeyedRateLimiter limiter(clock, 0);
        limiter.pauseUntil(QStringLiteral("a.example"), clock.now() + 5s);
        const auto b = drive(acquireKey(limiter, clock, QStringLiteral("b.example")), &clock);
        QCOMPARE(b.value(), Clock::Duration(0));
        QCOMPARE(limiter.keyCount(), std::size_t(2));
    }

    void earlierPauseDoesNotShortenALaterOne() {
        VirtualClock clock;
        RateLimiter limiter(clock, 0);
        limiter.pauseUntil(clock.now() + 3s);
        limiter.pauseUntil(clock.now() + 1s);
        QCOMPARE(limiter.pausedUntil(), clock.now() + 3s);
        const auto at = drive(acquireMany(limiter, clock, 1), &clock);
        QCOMPARE(at.value().first(), Clock::Duration(3s));
    }

    void readyAtSaysWhenTheNextTokenComes() {
        VirtualClock clock;
        RateLimiter limiter(clock, 5, 1);
        QCOMPARE(limiter.readyAt(), clock.now());
        QVERIFY(limiter.tryAcquire());
        QCOMPARE(limiter.readyAt(), clock.now() + 200ms);
        clock.advance(150ms);
        QVERIFY(!limiter.tryAcquire());
        QCOMPARE(limiter.readyAt(), clock.now() + 50ms);
        clock.advance(50ms);
        QVERIFY(limiter.tryAcquire());
        limiter.pauseUntil(clock.now() + 3s);
        QCOMPARE(limiter.readyAt(), clock.now() + 3s);
        RateLimiter unlimited(clock, 0);
        QVERIFY(unlimited.tryAcquire());
        QCOMPARE(unlimited.readyAt(), clock.now());
    }

    void cancelledAcquireLeavesNoTimerAndNoWaiter() {
        VirtualClock clock;
        RateLimiter limiter(clock, 1, 1);
        QVERIFY(limiter.tryAcquire());
        std::stop_source source;
        QList<int> order;
        auto waiter = acquireRecording(limiter, order, 1, source.get_token());
        QCOMPARE(limiter.waiting(), std::size_t(1));
        QCOMPARE(clock.pendingTimers(), std::size_t(1));
        source.request_stop();
        QCOMPARE(limiter.waiting(), std::size_t(0));
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
        QVERIFY(drive(std::move(waiter), &clock).isCancelled());
        QVERIFY(order.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
