// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cancellation.h"
#include "clock.h"
#include "waitqueue.h"

namespace vigil::async {

/// @brief Awaiter for a cancellable sleep on a Clock. Throws Cancelled when its token stops;
/// a cancelled sleep leaves no timer behind.
class SleepAwaiter {
public:
    SleepAwaiter(Clock &clock, Clock::TimePoint until, std::stop_token token)
        : m_clock(clock)
        , m_until(until)
        , m_token(std::move(token)) {}
    SleepAwaiter(const SleepAwaiter &) = delete;
    SleepAwaiter &operator=(const SleepAwaiter &) = delete;
    SleepAwaiter(SleepAwaiter &&) noexcept = default;
    ~SleepAwaiter() { m_clock.cancel(m_timer); }

    bool await_ready() const noexcept {
        return m_token.stop_requested() || m_until <= m_clock.now();
    }
    void await_suspend(std::coroutine_handle<> handle);
    void await_resume();

private:
    Clock &m_clock;
    Clock::TimePoint m_until;
    std::stop_token m_token;
    Clock::TimerId m_timer = 0;
    detail::WaitNode m_node;
};

[[nodiscard]] inline SleepAwaiter sleepUntil(Clock &clock, Clock::TimePoint until,
                                             std::stop_token token = {}) {
    return {clock, until, std::move(token)};
}

[[nodiscard]] inline SleepAwaiter sleepFor(Clock &clock, Clock::Duration duration,
                                           std::stop_token token = {}) {
    return {clock, clock.now() + duration, std::move(token)};
}

} // namespace vigil::async
