// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/asyncsemaphore.h"
#include "async/sleep.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil::async;
using vigil::test::drive;

namespace {
struct Occupancy {
    int current = 0;
    int peak = 0;
    QList<int> entryOrder;
};

QCoro::Task<> worker(AsyncSemaphore &sem, VirtualClock &clock, Occupancy &occ, int id,
                     Clock::Duration hold) {
    auto permit = co_await sem.acquire();
    occ.entryOrder << id;
    occ.peak = std::max(occ.peak, ++occ.current);
    co_await sleepFor(clock, hold);
    --occ.current;
}

QCoro::Task<> contenders(AsyncSemaphore &sem, VirtualClock &clock, Occupancy &occ, int count) {
    std::vector<QCoro::Task<>> tasks;
    tasks.reserve(std::size_t(count));
    for (int i = 0; i < count; ++i)
        tasks.push_back(worker(sem, clock, occ, i, std::chrono::milliseconds(1 + (i * 7) % 13)));
    for (auto &t : tasks)
        co_await t;
}

QCoro::Task<bool> acquireOnce(AsyncSemaphore &sem, std::stop_token token, int &holding) {
    auto permit = co_await sem.acquire(token);
    ++holding;
    co_return permit.owns();
}
} // namespace

class TestSemaphore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void acquireWithinCapacityDoesNotSuspend() {
        AsyncSemaphore sem(2);
        int holding = 0;
        auto a = acquireOnce(sem, {}, holding);
        auto b = acquireOnce(sem, {}, holding);
        QVERIFY(a.isReady());
        QVERIFY(b.isReady());
        QCOMPARE(holding, 2);
        QCOMPARE(sem.available(), std::size_t(2)); // both permits released at the end of each task
    }

    void neverExceedsPermitsUnderThousandContenders() {
        VirtualClock clock;
        AsyncSemaphore sem(10);
        Occupancy occ;
        QVERIFY(drive(contenders(sem, clock, occ, 1000), &clock).isOk());
        QCOMPARE(occ.peak, 10);
        QCOMPARE(occ.entryOrder.size(), 1000);
        QCOMPARE(sem.available(), std::size_t(10));
        QCOMPARE(sem.waiting(), std::size_t(0));
    }

    void servesWaitersInArrivalOrder() {
        VirtualClock clock;
        AsyncSemaphore sem(3);
        Occupancy occ;
        QVERIFY(drive(contenders(sem, clock, occ, 1000), &clock).isOk());
        QList<int> expected;
        for (int i = 0; i < 1000; ++i)
            expected << i;
        QCOMPARE(occ.entryOrder, expected);
    }

    void cancelledWaiterLeavesQueueAndLosesNoPermit() {
        AsyncSemaphore sem(1);
        auto held = sem.tryAcquire();
        QVERIFY(held);
        std::stop_source source;
        int holding = 0;
        auto waiter = acquireOnce(sem, source.get_token(), holding);
        QCOMPARE(sem.waiting(), std::size_t(1));
        source.request_stop();
        QCOMPARE(sem.waiting(), std::size_t(0));
        const auto outcome = drive(std::move(waiter));
        QVERIFY(outcome.isCancelled());
        held.reset();
        QCOMPARE(sem.available(), std::size_t(1));
    }

    void permitGrantedBeforeCancelIsKeptThenReleased() {
        AsyncSemaphore sem(1);
        auto held = sem.tryAcquire();
        std::stop_source source;
        int holding = 0;
        auto waiter = acquireOnce(sem, source.get_token(), holding);
        held.reset();          // hands the permit to the waiter
        source.request_stop(); // too late: the grant stands
        const auto outcome = drive(std::move(waiter));
        QVERIFY(outcome.isOk());
        QCOMPARE(holding, 1);
        QCOMPARE(sem.available(), std::size_t(1));
    }

    void tryAcquireDoesNotOvertakeWaiters() {
        AsyncSemaphore sem(1);
        auto held = sem.tryAcquire();
        int holding = 0;
        auto waiter = acquireOnce(sem, {}, holding);
        held.reset();
        QVERIFY2(!sem.tryAcquire(), "the released permit belongs to the waiter");
        QVERIFY(drive(std::move(waiter)).isOk());
        QVERIFY(sem.tryAcquire().has_value());
    }

    void movedPermitReleasesExactlyOnce() {
        AsyncSemaphore sem(2);
        {
            auto a = sem.tryAcquire();
            AsyncSemaphore::Permit moved = std::move(*a);
            QCOMPARE(sem.available(), std::size_t(1));
            QVERIFY(!a->owns());
            QVERIFY(moved.owns());
        }
        QCOMPARE(sem.available(), std::size_t(2));
    }
};

QTEST_GUILESS_MAIN(TestSemaphore)
#include "tst_semaphore.moc"
