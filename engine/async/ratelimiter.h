// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cancellation.h"
#include "clock.h"
#include "waitqueue.h"

namespace vigil::async {

/// @brief A token bucket (rate per second, burst) for coroutines: FIFO, cancellable, pausable.
///
/// pauseUntil() holds every acquisition until a given time, which is how a 429 with Retry-After is
/// honoured. A rate of 0 means no rate limit (pauses still apply).
class RateLimiter {
public:
    class AcquireAwaiter {
    public:
        AcquireAwaiter(RateLimiter &limiter, std::stop_token token)
            : m_limiter(limiter)
            , m_token(std::move(token)) {}
        AcquireAwaiter(const AcquireAwaiter &) = delete;
        AcquireAwaiter &operator=(const AcquireAwaiter &) = delete;
        AcquireAwaiter(AcquireAwaiter &&) noexcept = default;

        bool await_ready();
        void await_suspend(std::coroutine_handle<> handle);
        void await_resume();

    private:
        RateLimiter &m_limiter;
        std::stop_token m_token;
        detail::WaitNode m_node;
    };

    RateLimiter(Clock &clock, double ratePerSecond, double burst = 1.0);
    RateLimiter(const RateLimiter &) = delete;
    RateLimiter &operator=(const RateLimiter &) = delete;
    ~RateLimiter();

    [[nodiscard]] AcquireAwaiter acquire(std::stop_token token = {}) {
        return {*this, std::move(token)};
    }
    [[nodiscard]] bool tryAcquire();
    /// When tryAcquire() would next succeed, as far as the tokens and the pause tell (waiters
    /// queued in acquire() go first): a scheduler's time to look again.
    [[nodiscard]] Clock::TimePoint readyAt() const;

    /// Holds all acquisitions until @p until; an earlier time than a pause in force changes
    /// nothing.
    void pauseUntil(Clock::TimePoint until);
    [[nodiscard]] Clock::TimePoint pausedUntil() const { return m_pausedUntil; }
    [[nodiscard]] bool isPaused() const { return m_pausedUntil > m_clock.now(); }

    [[nodiscard]] double rate() const { return m_rate; }
    /// Changes the rate from now on (an adaptive rate); tokens earned so far are kept.
    void setRate(double ratePerSecond);
    [[nodiscard]] double burst() const { return m_burst; }
    [[nodiscard]] std::size_t waiting() const { return m_waiters.size(); }

private:
    [[nodiscard]] bool unlimited() const { return m_rate <= 0.0; }
    void refill();
    bool takeToken();
    void pump();
    void rearm();

    Clock &m_clock;
    double m_rate;
    double m_burst;
    double m_tokens;
    Clock::TimePoint m_lastRefill;
    Clock::TimePoint m_pausedUntil{};
    Clock::TimerId m_timer = 0;
    detail::WaitQueue m_waiters;
};

} // namespace vigil::async
