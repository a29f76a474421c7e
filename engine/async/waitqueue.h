// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <coroutine>
#include <cstddef>
#include <functional>
#include <optional>
#include <stop_token>

namespace vigil::async::detail {

/// Resumes a suspended coroutine on the next pass of the calling thread's event loop, like
/// asyncio's call_soon: whoever wakes a waiter (a release, a timer, a cancel) never runs the woken
/// coroutine inside its own call, so there is no re-entrancy and no unbounded recursion. Waiters
/// are woken on their own thread: every async object belongs to one thread.
void resumeSoon(std::coroutine_handle<> handle);

/// How many resumptions this thread posted but has not yet run; VirtualClock drains them between
/// timers.
[[nodiscard]] std::size_t pendingResumes();

/// Runs every resumption this thread posted, including ones posted while draining.
void drainResumes();

enum class WaitState { Idle, Waiting, Granted, Cancelled, Closed };

class WaitQueue;

/// One suspended waiter. It lives inside the awaiter object, and so inside the waiting coroutine's
/// frame, which stays put until the waiter is resumed: no allocation per wait.
class WaitNode {
public:
    WaitNode() = default;
    /// @p owner is the awaiter holding this node, for queues whose waiters carry a payload.
    explicit WaitNode(void *owner)
        : m_owner(owner) {}
    WaitNode(const WaitNode &) = delete;
    WaitNode &operator=(const WaitNode &) = delete;
    /// GCC 12 moves the operand of co_await before await_ready(), so awaiters must be movable
    /// while idle. The new node starts idle, and its owner is set by the awaiter that holds it.
    WaitNode(WaitNode &&other) noexcept;
    ~WaitNode();

    /// Suspends in @p queue (or in no queue, for timer waits) until wake(), or until @p token
    /// stops, in which case @p onCancel runs first, synchronously, to release whatever the wait
    /// holds.
    void suspend(std::coroutine_handle<> handle, WaitQueue *queue, const std::stop_token &token,
                 std::function<void()> onCancel = {});

    /// Ends the wait with @p state and schedules the coroutine. Only the first wake counts.
    void wake(WaitState state);

    /// Marks a wait that finished without suspending.
    void completeNow(WaitState state) { m_state = state; }

    /// Drops the stop callback; awaiters call it from await_resume.
    void disarm() { m_stop.reset(); }

    /// The usual await_resume: disarms, then throws Cancelled unless the wait was granted.
    void takeGrantOrThrow();

    [[nodiscard]] WaitState state() const { return m_state; }
    template <typename Owner> [[nodiscard]] Owner *owner() const {
        return static_cast<Owner *>(m_owner);
    }

private:
    friend class WaitQueue;
    struct OnStop {
        WaitNode *node;
        void operator()() const;
    };

    void *m_owner = nullptr;
    WaitNode *m_prev = nullptr;
    WaitNode *m_next = nullptr;
    WaitQueue *m_queue = nullptr;
    std::coroutine_handle<> m_handle;
    WaitState m_state = WaitState::Idle;
    std::function<void()> m_onCancel;
    std::optional<std::stop_callback<OnStop>> m_stop;
};

/// A FIFO of waiters, intrusive so that enqueue and cancel are O(1).
class WaitQueue {
public:
    WaitQueue() = default;
    WaitQueue(const WaitQueue &) = delete;
    WaitQueue &operator=(const WaitQueue &) = delete;
    ~WaitQueue();

    void pushBack(WaitNode *node);
    void remove(WaitNode *node);
    [[nodiscard]] WaitNode *front() const { return m_head; }
    [[nodiscard]] bool empty() const { return m_head == nullptr; }
    [[nodiscard]] std::size_t size() const { return m_size; }

    /// Wakes the first waiter with @p state; returns false when nobody waits.
    bool wakeFront(WaitState state);
    /// Wakes every waiter with @p state.
    void wakeAll(WaitState state);

private:
    WaitNode *m_head = nullptr;
    WaitNode *m_tail = nullptr;
    std::size_t m_size = 0;
};

} // namespace vigil::async::detail
