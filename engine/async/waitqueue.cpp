// SPDX-License-Identifier: Apache-2.0
#include "waitqueue.h"

#include "cancellation.h"

#include <QCoreApplication>
#include <QThread>

#include <memory>

namespace vigil::async::detail {

namespace {
/// @brief Where a thread's resumptions are posted: the application object on the GUI thread, an
/// object of the thread's own elsewhere (a download thread runs its coroutines the same way).
struct ThreadResumes {
    std::unique_ptr<QObject> own; ///< made on first use, on a thread other than the GUI's
    std::size_t pending = 0;
    QObject *context() {
        auto *app = QCoreApplication::instance();
        Q_ASSERT_X(app, "resumeSoon", "coroutines need a QCoreApplication");
        if (QThread::currentThread() == app->thread())
            return app;
        if (!own)
            own = std::make_unique<QObject>();
        return own.get();
    }
};

ThreadResumes &threadResumes() {
    thread_local ThreadResumes resumes;
    return resumes;
}
} // namespace

void resumeSoon(std::coroutine_handle<> handle) {
    ThreadResumes &resumes = threadResumes();
    ++resumes.pending;
    QMetaObject::invokeMethod(
        resumes.context(),
        [handle, &resumes] {
            --resumes.pending;
            handle.resume();
        },
        Qt::QueuedConnection);
}

std::size_t pendingResumes() {
    return threadResumes().pending;
}

void drainResumes() {
    ThreadResumes &resumes = threadResumes();
    while (resumes.pending > 0)
        QCoreApplication::sendPostedEvents(resumes.context(), QEvent::MetaCall);
}

WaitNode::WaitNode(WaitNode &&other) noexcept {
    Q_ASSERT_X(other.m_state == WaitState::Idle && !other.m_queue, "WaitNode",
               "an awaiter was moved after it suspended");
}

WaitNode::~WaitNode() {
    // Only reached with a linked node when a suspended coroutine frame is destroyed outright.
    if (m_queue)
        m_queue->remove(this);
}

void WaitNode::suspend(std::coroutine_handle<> handle, WaitQueue *queue,
                       const std::stop_token &token, std::function<void()> onCancel) {
    m_handle = handle;
    m_state = WaitState::Waiting;
    m_onCancel = std::move(onCancel);
    if (queue)
        queue->pushBack(this);
    if (token.stop_possible())
        m_stop.emplace(token, OnStop{this}); // runs at once if already stopped
}

void WaitNode::wake(WaitState state) {
    if (m_state != WaitState::Waiting)
        return;
    if (m_queue)
        m_queue->remove(this);
    m_state = state;
    resumeSoon(m_handle);
}

void WaitNode::takeGrantOrThrow() {
    disarm();
    if (m_state != WaitState::Granted)
        throw Cancelled();
}

void WaitNode::OnStop::operator()() const {
    if (node->m_state != WaitState::Waiting)
        return;
    if (node->m_queue)
        node->m_queue->remove(node);
    if (node->m_onCancel)
        node->m_onCancel();
    node->wake(WaitState::Cancelled);
}

WaitQueue::~WaitQueue() {
    // A queue that dies with waiters cancels them rather than leaving them dangling.
    wakeAll(WaitState::Closed);
}

void WaitQueue::pushBack(WaitNode *node) {
    node->m_queue = this;
    node->m_prev = m_tail;
    node->m_next = nullptr;
    if (m_tail)
        m_tail->m_next = node;
    else
        m_head = node;
    m_tail = node;
    ++m_size;
}

void WaitQueue::remove(WaitNode *node) {
    if (node->m_queue != this)
        return;
    if (node->m_prev)
        node->m_prev->m_next = node->m_next;
    else
        m_head = node->m_next;
    if (node->m_next)
        node->m_next->m_prev = node->m_prev;
    else
        m_tail = node->m_prev;
    node->m_prev = node->m_next = nullptr;
    node->m_queue = nullptr;
    --m_size;
}

bool WaitQueue::wakeFront(WaitState state) {
    if (!m_head)
        return false;
    m_head->wake(state);
    return true;
}

void WaitQueue::wakeAll(WaitState state) {
    while (m_head)
        m_head->wake(state);
}

} // namespace vigil::async::detail
