// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/ratelimiter.h"
#include "async/sleep.h"
#include "async/unlesscancelled.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil::async;
using vigil::test::drive;

namespace {
/// Sleeps through unlessCancelled() and reports whether the sleep completed.
QCoro::Task<bool> sleepUnlessCancelled(Clock &clock, Clock::Duration d, std::stop_token token) {
    auto sleep = sleepFor(clock, d, token);
    co_return co_await unlessCancelled(sleep);
}

/// Takes two tokens from @p limiter (the second has to wait) and counts the ones granted.
QCoro::Task<int> acquireTwice(RateLimiter &limiter, std::stop_token token) {
    int granted = 0;
    for (int i = 0; i < 2; ++i) {
        auto acquire = limiter.acquire(token);
        if (!co_await unlessCancelled(acquire))
            break;
        ++granted;
    }
    co_return granted;
}
} // namespace

/// unlessCancelled(): a cancelled wait yields false instead of throwing, and leaves nothing behind.
class TestUnlessCancelled : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void completedWaitYieldsTrue() {
        VirtualClock clock;
        const auto done = drive(sleepUnlessCancelled(clock, 2s, {}), &clock);
        QVERIFY(done.isOk());
        QCOMPARE(done.value(), true);
        QCOMPARE(clock.elapsed(), Clock::Duration(2s));
    }

    void cancelledWaitYieldsFalseAndLeavesNoTimer() {
        VirtualClock clock;
        std::stop_source source;
        clock.callAfter(50ms, [&] { source.request_stop(); });
        const auto done = drive(sleepUnlessCancelled(clock, 10s, source.get_token()), &clock);
        QVERIFY(done.isOk()); // no Cancelled escaped
        QCOMPARE(done.value(), false);
        QCOMPARE(clock.elapsed(), Clock::Duration(50ms));
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
    }

    void alreadyStoppedTokenYieldsFalseAtOnce() {
        VirtualClock clock;
        std::stop_source source;
        source.request_stop();
        const auto done = drive(sleepUnlessCancelled(clock, 10s, source.get_token()), &clock);
        QCOMPARE(done.value(), false);
        QCOMPARE(clock.elapsed(), Clock::Duration(0));
    }

    void cancelledAcquireLeavesTheQueueEmpty() {
        VirtualClock clock;
        RateLimiter limiter(clock, 1.0); // one token now, the next in a second
        std::stop_source source;
        clock.callAfter(300ms, [&] { source.request_stop(); });
        const auto granted = drive(acquireTwice(limiter, source.get_token()), &clock);
        QCOMPARE(granted.value(), 1);
        QCOMPARE(limiter.waiting(), std::size_t(0));
        QCOMPARE(clock.elapsed(), Clock::Duration(300ms));
    }

    void acquireWithoutCancelWaitsItsTurn() {
        VirtualClock clock;
        RateLimiter limiter(clock, 2.0);
        const auto granted = drive(acquireTwice(limiter, {}), &clock);
        QCOMPARE(granted.value(), 2);
        QCOMPARE(clock.elapsed(), Clock::Duration(500ms));
    }
};

QTEST_GUILESS_MAIN(TestUnlessCancelled)
#include "tst_unlesscancelled.moc"
