// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/sleep.h"
#include "async/taskgroup.h"

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

// Sleeps for @p ms of virtual time, then returns id, or fails when ms is negative.
QCoro::Task<int> child(VirtualClock &clock, Log &log, int id, int ms, std::stop_token token) {
    LiveCounter alive(log.alive);
    try {
        co_await sleepFor(clock, std::chrono::milliseconds(std::abs(ms)), token);
    } catch (const Cancelled &) {
        log.cancelled << id;
        throw;
    }
    if (ms < 0)
        throw std::runtime_error("child " + std::to_string(id) + " failed");
    log.finished << id;
    co_return id;
}

QCoro::Task<std::vector<Outcome<int>>> runGroup(VirtualClock &clock, Log &log, GroupPolicy policy,
                                                QList<int> delays, std::stop_token parent = {}) {
    TaskGroup<int> group(policy, parent);
    for (int i = 0; i < delays.size(); ++i)
        group.spawn(child(clock, log, i, delays[i], group.token()));
    co_return co_await group.join();
}

// Cancels a group whose children sleep long, then joins it: the way to leave early, now that
// destroying an unjoined group asserts. Returns how many children were running at the cancel.
QCoro::Task<std::size_t> cancelledGroup(VirtualClock &clock, Log &log) {
    TaskGroup<int> group;
    group.spawn(child(clock, log, 0, 5000, group.token()));
    group.spawn(child(clock, log, 1, 5000, group.token()));
    const std::size_t running = group.running();
    group.cancel();
    co_await group.join();
    co_return running;
}

QCoro::Task<> voidChild(VirtualClock &clock, int &done, std::stop_token token) {
    co_await sleepFor(clock, 10ms, token);
    ++done;
}

QCoro::Task<std::size_t> runVoidGroup(VirtualClock &clock, int &done) {
    TaskGroup<> group;
    for (int i = 0; i < 5; ++i)
        group.spawn(voidChild(clock, done, group.token()));
    const auto results = co_await group.join();
    co_return std::size_t(
        std::count_if(results.begin(), results.end(), [](const auto &r) { return r.isOk(); }));
}
} // namespace

class TestTaskGroup : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void joinWaitsForEveryChild() {
        VirtualClock clock;
        Log log;
        const auto r =
            drive(runGroup(clock, log, GroupPolicy::CollectAll, {300, 100, 200}), &clock);
        QVERIFY(r.isOk());
        QCOMPARE(r.value().size(), std::size_t(3));
        QCOMPARE(log.alive, 0);
        QCOMPARE(clock.elapsed(), Clock::Duration(300ms)); // concurrent: the slowest, not the sum
    }

    void collectAllReturnsErrorsInPlace() {
        VirtualClock clock;
        Log log;
        const auto r =
            drive(runGroup(clock, log, GroupPolicy::CollectAll, {100, -50, 200, -10}), &clock);
        QVERIFY(r.isOk());
        const auto &results = r.value();
        QVERIFY(results[0].isOk());
        QCOMPARE(results[0].value(), 0);
        QCOMPARE(results[1].errorMessage(), QStringLiteral("child 1 failed"));
        QCOMPARE(results[2].value(), 2);
        QCOMPARE(results[3].errorMessage(), QStringLiteral("child 3 failed"));
        QVERIFY(log.cancelled.isEmpty()); // nothing was cancelled: the batch went on
    }

    void failFastCancelsSiblingsWhoObserveIt() {
        VirtualClock clock;
        Log log;
        const auto r =
            drive(runGroup(clock, log, GroupPolicy::FailFast, {1000, -50, 2000, 10}), &clock);
        QVERIFY(!r.isOk());
        QCOMPARE(r.errorMessage(), QStringLiteral("child 1 failed"));
        std::sort(log.cancelled.begin(), log.cancelled.end()); // stop callbacks run in any order
        QCOMPARE(log.cancelled, (QList<int>{0, 2}));
        QCOMPARE(log.finished, QList<int>{3});
        QCOMPARE(log.alive, 0);
        QCOMPARE(clock.elapsed(), Clock::Duration(50ms));
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
    }

    void failFastSucceedsWhenAllSucceed() {
        VirtualClock clock;
        Log log;
        const auto r = drive(runGroup(clock, log, GroupPolicy::FailFast, {30, 10, 20}), &clock);
        QVERIFY(r.isOk());
        QCOMPARE(r.value()[2].value(), 2);
    }

    void cancellingMidSleepLeavesNothingRunning() {
        VirtualClock clock;
        Log log;
        std::stop_source parent;
        clock.callAfter(150ms, [&] { parent.request_stop(); });
        const auto r = drive(runGroup(clock, log, GroupPolicy::CollectAll, {100, 1000, 2000, 3000},
                                      parent.get_token()),
                             &clock);
        QVERIFY(r.isOk());
        QVERIFY(r.value()[0].isOk());
        QVERIFY(r.value()[1].isCancelled());
        QVERIFY(r.value()[3].isCancelled());
        QCOMPARE(log.alive, 0);
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
        QCOMPARE(detail::pendingResumes(), std::size_t(0));
        QCOMPARE(clock.elapsed(), Clock::Duration(150ms));
    }

    void failFastGroupCancelledFromOutsideThrowsCancelled() {
        VirtualClock clock;
        Log log;
        std::stop_source parent;
        clock.callAfter(10ms, [&] { parent.request_stop(); });
        const auto r = drive(
            runGroup(clock, log, GroupPolicy::FailFast, {100, 200}, parent.get_token()), &clock);
        QVERIFY(r.isCancelled());
        QCOMPARE(log.alive, 0);
    }

    void emptyGroupJoinsAtOnce() {
        VirtualClock clock;
        Log log;
        const auto r = drive(runGroup(clock, log, GroupPolicy::CollectAll, {}), &clock);
        QVERIFY(r.isOk());
        QVERIFY(r.value().empty());
        QCOMPARE(clock.elapsed(), Clock::Duration(0));
    }

    void cancelAndJoinLeaveNoChildFrame() {
        VirtualClock clock;
        Log log;
        const auto r = drive(cancelledGroup(clock, log), &clock);
        QVERIFY(r.isOk());
        QCOMPARE(r.value(), std::size_t(2)); // both children were running when cancel() came
        std::sort(log.cancelled.begin(), log.cancelled.end());
        QCOMPARE(log.cancelled, (QList<int>{0, 1}));
        QCOMPARE(log.alive, 0);
        QCOMPARE(clock.elapsed(), Clock::Duration(0));
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
    }

    void voidChildrenAreSupported() {
        VirtualClock clock;
        int done = 0;
        const auto ok = drive(runVoidGroup(clock, done), &clock);
        QCOMPARE(ok.value(), std::size_t(5));
        QCOMPARE(done, 5);
    }
};

QTEST_GUILESS_MAIN(TestTaskGroup)
#include "tst_taskgroup.moc"
