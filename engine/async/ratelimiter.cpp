// SPDX-License-Identifier: Apache-2.0
#include "ratelimiter.h"

#include <algorithm>
#include <cmath>

namespace vigil::async {

namespace {
// Floating-point refills can land a hair under a whole token; without slack the wake-up timer
// would re-arm for a nanosecond again and again.
constexpr double kTokenSlack = 1e-9;
} // namespace

RateLimiter::RateLimiter(Clock &clock, double ratePerSecond, double burst)
    : m_clock(clock)
    , m_rate(ratePerSecond)
    , m_burst(std::max(1.0, burst))
    , m_tokens(m_burst)
    , m_lastRefill(clock.now()) {}

RateLimiter::~RateLimiter() {
    m_clock.cancel(m_timer);
}

void RateLimiter::refill() {
    const auto now = m_clock.now();
    if (!unlimited()) {
        const double seconds = std::chrono::duration<double>(now - m_lastRefill).count();
        m_tokens = std::min(m_burst, m_tokens + seconds * m_rate);
    }
    m_lastRefill = now;
}

bool RateLimiter::takeToken() {
    if (m_clock.now() < m_pausedUntil)
        return false;
    if (unlimited())
        return true;
    refill();
    if (m_tokens + kTokenSlack < 1.0)
        return false;
    m_tokens = std::max(0.0, m_tokens - 1.0);
    return true;
}

bool RateLimiter::tryAcquire() {
    return m_waiters.empty() && takeToken();
}

Clock::TimePoint RateLimiter::readyAt() const {
    const auto now = m_clock.now();
    auto at = now;
    if (!unlimited()) {
        const double seconds = std::chrono::duration<double>(now - m_lastRefill).count();
        const double tokens = std::min(m_burst, m_tokens + seconds * m_rate);
        const double missing = std::max(0.0, 1.0 - tokens);
        at += std::chrono::ceil<Clock::Duration>(std::chrono::duration<double>(missing / m_rate));
    }
    return std::max(at, m_pausedUntil);
}

void RateLimiter::pauseUntil(Clock::TimePoint until) {
    m_pausedUntil = std::max(m_pausedUntil, until);
    rearm();
}

void RateLimiter::setRate(double ratePerSecond) {
    if (ratePerSecond == m_rate)
        return;
    refill();
    m_rate = ratePerSecond;
    if (unlimited())
        m_tokens = m_burst;
    rearm();
}

void RateLimiter::pump() {
    m_timer = 0;
    while (!m_waiters.empty() && takeToken())
        m_waiters.wakeFront(detail::WaitState::Granted);
    rearm();
}

void RateLimiter::rearm() {
    m_clock.cancel(m_timer);
    m_timer = 0;
    if (m_waiters.empty())
        return;
    auto wake = m_clock.now();
    if (!unlimited()) {
        refill();
        const double missing = std::max(0.0, 1.0 - m_tokens);
        wake += std::chrono::ceil<Clock::Duration>(std::chrono::duration<double>(missing / m_rate));
    }
    wake = std::max(wake, m_pausedUntil);
    m_timer = m_clock.callAt(wake, [this] { pump(); });
}

bool RateLimiter::AcquireAwaiter::await_ready() {
    if (m_token.stop_requested())
        return true;
    if (m_limiter.tryAcquire()) {
        m_node.completeNow(detail::WaitState::Granted);
        return true;
    }
    return false;
}

void RateLimiter::AcquireAwaiter::await_suspend(std::coroutine_handle<> handle) {
    m_node.suspend(handle, &m_limiter.m_waiters, m_token, [this] { m_limiter.rearm(); });
    if (m_limiter.m_waiters.size() == 1)
        m_limiter.rearm();
}

void RateLimiter::AcquireAwaiter::await_resume() {
    m_node.takeGrantOrThrow();
}

} // namespace vigil::async
