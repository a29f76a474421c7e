// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/sleep.h"
#include "async/taskscope.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil::async;
using vigil::test::drive;
using vigil::test::LiveCounter;

namespace {
struct Log {
    int alive = 0;
    QList<int> cancelled;
    QList<int> finished;
};

// Sleeps @p ms of virtual time, then fails when @p fail. When cancelled it still needs
// @p cleanupMs (without a token, like a flush or a disconnect) before it ends.
QCoro::Task<> child(VirtualClock &clock, Log &log, int id, int ms, std::stop_token token,
                    int cleanupMs = 0, bool fail = false) {
    LiveCounter alive(log.alive);
    bool cancelled = false;
    try {
        co_await sleepFor(clock, std::chrono::milliseconds(ms), token);
    } catch (const Cancelled &) {
        cancelled = true;
    }
    if (cancelled) {
        co_await sleepFor(clock, std::chrono::milliseconds(cleanupMs));
        log.cancelled << id;
        throw Cancelled();
    }
    if (fail)
        throw std::runtime_error("child " + std::to_string(id) + " failed");
    log.finished << id;
}

// Lets the virtual time run until @p until, then returns.
QCoro::Task<> waitUntil(VirtualClock &clock, Clock::Duration until) {
    co_await sleepUntil(clock, clock.now() - clock.elapsed() + until);
}
} // namespace

class TestTaskScope : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void closeCancelsAndWaitsForEveryChild() {
        VirtualClock clock;
        Log log;
        TaskScope scope;
        scope.spawn(child(clock, log, 0, 5000, scope.token(), 30));
        scope.spawn(child(clock, log, 1, 5000, scope.token(), 80));
        scope.spawn(child(clock, log, 2, 5000, scope.token()));
        QCOMPARE(scope.running(), std::size_t(3));
        QVERIFY(drive(scope.close(), &clock).isOk());
        // Returned only after the slowest cleanup: every frame is gone, nothing was lost.
        QCOMPARE(clock.elapsed(), Clock::Duration(80ms));
        QCOMPARE(log.alive, 0);
        std::sort(log.cancelled.begin(), log.cancelled.end());
        QCOMPARE(log.cancelled, (QList<int>{0, 1, 2}));
        QVERIFY(log.finished.isEmpty());
        QCOMPARE(scope.running(), std::size_t(0));
        QVERIFY(scope.isClosed());
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
    }

    void closeWithNothingSpawnedReturnsAtOnce() {
        VirtualClock clock;
        TaskScope scope;
        QVERIFY(drive(scope.close(), &clock).isOk());
        QVERIFY(scope.isClosed());
        QVERIFY(scope.token().stop_requested());
        QCOMPARE(clock.elapsed(), Clock::Duration(0));
    }

    void childErrorReachesTheErrorCallback() {
        VirtualClock clock;
        Log log;
        TaskScope scope;
        QStringList errors;
        scope.setErrorCallback(
            [&errors](const std::exception_ptr &e) { errors << describeError(e); });
        scope.spawn(child(clock, log, 0, 10, scope.token(), 0, true));
        scope.spawn(child(clock, log, 1, 20, scope.token()));
        scope.spawn(child(clock, log, 2, 5000, scope.token()));
        QTest::ignoreMessage(QtWarningMsg, "TaskScope: a background task failed: child 0 failed");
        QVERIFY(drive(waitUntil(clock, 100ms), &clock).isOk());
        QCOMPARE(errors, QStringList{QStringLiteral("child 0 failed")});
        QCOMPARE(scope.running(), std::size_t(1));
        QVERIFY(drive(scope.close(), &clock).isOk());
        // A cancelled child is not an error.
        QCOMPARE(errors, QStringList{QStringLiteral("child 0 failed")});
        QCOMPARE(log.cancelled, QList<int>{2});
    }

    void finishedChildrenAreForgotten() {
        VirtualClock clock;
        Log log;
        TaskScope scope;
        for (int round = 0; round < 3; ++round) {
            for (int i = 0; i < 100; ++i)
                scope.spawn(child(clock, log, i, 10 + i % 7, scope.token()));
            QCOMPARE(scope.running(), std::size_t(100));
            QCOMPARE(log.alive, 100);
            QVERIFY(drive(scope.join(), &clock).isOk());
            QCOMPARE(scope.running(), std::size_t(0));
            QCOMPARE(log.alive, 0); // no frame kept: memory stays flat round after round
        }
        QCOMPARE(log.finished.size(), 300);
        QVERIFY(!scope.isClosed());
        QVERIFY(drive(scope.close(), &clock).isOk());
    }

    void closeIsIdempotent() {
        VirtualClock clock;
        Log log;
        TaskScope scope;
        scope.spawn(child(clock, log, 0, 5000, scope.token(), 40));
        // Two closes at once: neither returns before the child has ended.
        int closed = 0;
        std::function<void(Outcome<void>)> count = [&closed](Outcome<void> r) {
            closed += r.isOk() ? 1 : 100;
        };
        auto first = observe(scope.close(), count);
        auto second = observe(scope.close(), count);
        QCOMPARE(closed, 0);
        QVERIFY(drive(scope.join(), &clock).isOk());
        clock.settle();
        QCOMPARE(closed, 2);
        QCOMPARE(log.alive, 0);
        QCOMPARE(clock.elapsed(), Clock::Duration(40ms));
        // And once more after the fact: returns at once.
        QVERIFY(drive(scope.close(), &clock).isOk());
        QCOMPARE(clock.elapsed(), Clock::Duration(40ms));
    }

    void cancelKeepsTheScopeOpenWithAFreshToken() {
        VirtualClock clock;
        Log log;
        TaskScope scope;
        scope.spawn(child(clock, log, 0, 5000, scope.token()));
        const auto before = scope.token();
        scope.cancel();
        QVERIFY(before.stop_requested());
        QVERIFY(!scope.token().stop_requested());
        QVERIFY(drive(scope.join(), &clock).isOk());
        QCOMPARE(log.cancelled, QList<int>{0});
        scope.spawn(child(clock, log, 1, 10, scope.token()));
        QVERIFY(drive(scope.join(), &clock).isOk());
        QCOMPARE(log.finished, QList<int>{1});
        QVERIFY(drive(scope.close(), &clock).isOk());
    }

    void parentStopCancelsTheScope() {
        VirtualClock clock;
        Log log;
        std::stop_source parent;
        TaskScope scope(parent.get_token());
        scope.spawn(child(clock, log, 0, 5000, scope.token()));
        clock.callAfter(25ms, [&parent] { parent.request_stop(); });
        QVERIFY(drive(scope.join(), &clock).isOk());
        QCOMPARE(log.cancelled, QList<int>{0});
        QCOMPARE(clock.elapsed(), Clock::Duration(25ms));
        QVERIFY(drive(scope.close(), &clock).isOk());
    }
};

QTEST_GUILESS_MAIN(TestTaskScope)
#include "tst_taskscope.moc"
