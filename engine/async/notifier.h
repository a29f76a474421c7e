// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cancellation.h"
#include "waitqueue.h"

namespace vigil::async {

/// @brief A condition to wait on: wait() suspends until the next notifyAll().
///
/// Check the condition, then wait; on one thread nothing can slip in between, so no wake-up is
/// lost. Used where asyncio code would use an Event or a Condition.
class Notifier {
public:
    class Awaiter {
    public:
        Awaiter(Notifier &notifier, std::stop_token token)
            : m_notifier(notifier)
            , m_token(std::move(token)) {}
        Awaiter(const Awaiter &) = delete;
        Awaiter &operator=(const Awaiter &) = delete;
        Awaiter(Awaiter &&) noexcept = default;

        bool await_ready() const noexcept { return m_token.stop_requested(); }
        void await_suspend(std::coroutine_handle<> handle) {
            m_node.suspend(handle, &m_notifier.m_waiters, m_token);
        }
        void await_resume() { m_node.takeGrantOrThrow(); }

    private:
        Notifier &m_notifier;
        std::stop_token m_token;
        detail::WaitNode m_node;
    };

    [[nodiscard]] Awaiter wait(std::stop_token token = {}) { return {*this, std::move(token)}; }
    void notifyAll() { m_waiters.wakeAll(detail::WaitState::Granted); }
    /// Wakes the longest waiter only: for work that one waiter can take, so that the others do
    /// not all wake to find nothing.
    void notifyOne() { m_waiters.wakeFront(detail::WaitState::Granted); }
    [[nodiscard]] std::size_t waiting() const { return m_waiters.size(); }

private:
    detail::WaitQueue m_waiters;
};

} // namespace vigil::async
