// SPDX-License-Identifier: Apache-2.0
#include "async/cancellation.h"
#include "async/waitqueue.h"

#include <QCoroTask>

#include <QCoreApplication>
#include <QEventLoop>
#include <QTest>
#include <QThread>

using namespace vigil::async;

namespace {
// A minimal awaiter over WaitNode, to test the queue mechanics without any primitive on top.
struct QueueWait {
    detail::WaitQueue &queue;
    std::stop_token token;
    detail::WaitNode node;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) { node.suspend(h, &queue, token); }
    detail::WaitState await_resume() {
        node.disarm();
        return node.state();
    }
};

QCoro::Task<> waitIn(detail::WaitQueue &queue, std::stop_token token, QList<int> &order, int id,
                     detail::WaitState &state) {
    // Named local: GCC 12 destroys a braced temporary inside co_await twice (DESIGN.md).
    QueueWait wait{queue, std::move(token), {}};
    state = co_await std::move(wait);
    order << id;
}

/// Waits in @p queue on the calling thread, then notes which thread it was resumed on.
QCoro::Task<> waitAndNoteThread(detail::WaitQueue &queue, QThread *&resumedOn) {
    QueueWait wait{queue, {}, {}};
    co_await std::move(wait);
    resumedOn = QThread::currentThread();
}
} // namespace

class TestCancellation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void linkedSourceStopsWithParent() {
        std::stop_source parent;
        LinkedStopSource child(parent.get_token());
        QVERIFY(!child.stopRequested());
        parent.request_stop();
        QVERIFY(child.stopRequested());
        QVERIFY(child.token().stop_requested());
    }

    void linkedSourceDoesNotStopParent() {
        std::stop_source parent;
        LinkedStopSource child(parent.get_token());
        child.requestStop();
        QVERIFY(child.stopRequested());
        QVERIFY(!parent.stop_requested());
    }

    void alreadyStoppedParentStopsChildAtOnce() {
        std::stop_source parent;
        parent.request_stop();
        LinkedStopSource child(parent.get_token());
        QVERIFY(child.stopRequested());
    }

    void throwIfCancelledThrowsOnlyWhenStopped() {
        std::stop_source source;
        throwIfCancelled(source.get_token());
        source.request_stop();
        QVERIFY_THROWS_EXCEPTION(Cancelled, throwIfCancelled(source.get_token()));
    }

    void wakeIsDeferredAndFifo() {
        detail::WaitQueue queue;
        QList<int> order;
        detail::WaitState s1{}, s2{}, s3{};
        auto a = waitIn(queue, {}, order, 1, s1);
        auto b = waitIn(queue, {}, order, 2, s2);
        auto c = waitIn(queue, {}, order, 3, s3);
        QCOMPARE(queue.size(), std::size_t(3));
        queue.wakeFront(detail::WaitState::Granted);
        QVERIFY2(order.isEmpty(), "a woken coroutine must not run inside the waker's call");
        QCOMPARE(detail::pendingResumes(), std::size_t(1));
        detail::drainResumes();
        QCOMPARE(order, QList<int>{1});
        queue.wakeAll(detail::WaitState::Granted);
        detail::drainResumes();
        QCOMPARE(order, (QList<int>{1, 2, 3}));
        QVERIFY(queue.empty());
    }

    void stopTokenRemovesWaiterFromQueue() {
        detail::WaitQueue queue;
        std::stop_source source;
        QList<int> order;
        detail::WaitState s1{}, s2{};
        auto a = waitIn(queue, source.get_token(), order, 1, s1);
        auto b = waitIn(queue, {}, order, 2, s2);
        source.request_stop();
        QCOMPARE(queue.size(), std::size_t(1));
        detail::drainResumes();
        QCOMPARE(s1, detail::WaitState::Cancelled);
        queue.wakeFront(detail::WaitState::Granted);
        detail::drainResumes();
        QCOMPARE(s2, detail::WaitState::Granted);
        QCOMPARE(order, (QList<int>{1, 2}));
    }

    void onlyFirstWakeCounts() {
        detail::WaitQueue queue;
        std::stop_source source;
        QList<int> order;
        detail::WaitState s{};
        auto a = waitIn(queue, source.get_token(), order, 1, s);
        queue.wakeFront(detail::WaitState::Granted);
        source.request_stop(); // arrives after the grant: ignored
        detail::drainResumes();
        QCOMPARE(s, detail::WaitState::Granted);
        QCOMPARE(order.size(), 1);
    }

    void destroyedQueueClosesItsWaiters() {
        QList<int> order;
        detail::WaitState s{};
        QCoro::Task<> waiter;
        {
            detail::WaitQueue queue;
            waiter = waitIn(queue, {}, order, 1, s);
        }
        detail::drainResumes();
        QCOMPARE(s, detail::WaitState::Closed);
    }

    // A download thread runs its coroutines as the GUI thread does: a waiter woken there resumes
    // there, from that thread's own event loop, and the GUI thread's count never sees it.
    void aWaiterOnAnotherThreadResumesOnThatThread() {
        QThread *resumedOn = nullptr;
        QThread *worker = nullptr;
        std::size_t pendingThere = 0;
        std::size_t pendingAfter = 1;
        auto *thread = QThread::create([&] {
            worker = QThread::currentThread();
            detail::WaitQueue queue;
            auto task = waitAndNoteThread(queue, resumedOn);
            queue.wakeAll(detail::WaitState::Granted);
            pendingThere = detail::pendingResumes();
            QEventLoop loop;
            QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
            loop.exec();
            pendingAfter = detail::pendingResumes();
        });
        thread->start();
        QVERIFY(thread->wait(10000));
        delete thread;
        QCOMPARE(pendingThere, std::size_t(1));
        QCOMPARE(detail::pendingResumes(), std::size_t(0));
        QCOMPARE(pendingAfter, std::size_t(0));
        QVERIFY(resumedOn != nullptr);
        QCOMPARE(resumedOn, worker);
    }
};

QTEST_GUILESS_MAIN(TestCancellation)
#include "tst_cancellation.moc"
