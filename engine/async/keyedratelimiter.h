// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ratelimiter.h"

#include <QString>

#include <map>
#include <memory>

namespace vigil::async {

/// @brief One token bucket per key (per host): a 429 from one host pauses only that host.
class KeyedRateLimiter {
public:
    KeyedRateLimiter(Clock &clock, double ratePerSecond, double burst = 1.0)
        : m_clock(clock)
        , m_rate(ratePerSecond)
        , m_burst(burst) {}

    [[nodiscard]] RateLimiter &forKey(const QString &key);
    [[nodiscard]] RateLimiter::AcquireAwaiter acquire(const QString &key,
                                                      std::stop_token token = {}) {
        return forKey(key).acquire(std::move(token));
    }
    void pauseUntil(const QString &key, Clock::TimePoint until) { forKey(key).pauseUntil(until); }
    [[nodiscard]] std::size_t keyCount() const { return m_limiters.size(); }

private:
    Clock &m_clock;
    double m_rate;
    double m_burst;
    std::map<QString, std::unique_ptr<RateLimiter>> m_limiters;
};

} // namespace vigil::async
