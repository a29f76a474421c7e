// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "adaptiverate.h"
#include "ratelimiter.h"

#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

namespace vigil::async {

/// @brief One token bucket per key (per host): a 429 from one host pauses only that host.
///
/// With an adaptive rate (`--rate auto`), each host's bucket follows its own AdaptiveRate, fed by
/// answered(); and a host that announces how many requests it has left is paused until its
/// window resets before the requests in flight could use them up, so no 429 is needed to learn.
class KeyedRateLimiter {
public:
    KeyedRateLimiter(Clock &clock, double ratePerSecond, double burst = 1.0,
                     std::optional<AutoRateBounds> adaptive = std::nullopt)
        : m_clock(clock)
        , m_rate(ratePerSecond)
        , m_burst(burst)
        , m_adaptive(adaptive) {}

    [[nodiscard]] RateLimiter &forKey(const QString &key);
    [[nodiscard]] RateLimiter::AcquireAwaiter acquire(const QString &key,
                                                      std::stop_token token = {}) {
        return forKey(key).acquire(std::move(token));
    }
    /// Pauses @p key's host until @p until, for the answer @p status said (429, 503, …).
    void pauseUntil(const QString &key, Clock::TimePoint until, int status = 429);
    /// The status of the answer behind the host's current pause (429 when none said).
    [[nodiscard]] int pauseStatus(const QString &key) { return host(key).pauseStatus; }
    [[nodiscard]] std::size_t keyCount() const { return m_hosts.size(); }

    [[nodiscard]] bool isAdaptive() const { return m_adaptive.has_value(); }
    /// A request to @p key went on the wire at @p sentAt.
    void sent(const QString &key, Clock::TimePoint sentAt);
    /// …and the server answered it (the answer's sentAt says which).
    void answered(const QString &key, const HostAnswer &answer);
    /// …or it ended without an answer (a timeout, a network error, cancellation).
    void ended(const QString &key, Clock::TimePoint sentAt);

private:
    struct Host {
        std::unique_ptr<RateLimiter> limiter;
        std::optional<AdaptiveRate> adaptive;
        std::multiset<Clock::TimePoint> inFlight; ///< send times of requests not yet answered
        int pauseStatus = 429;
    };
    Host &host(const QString &key);

    Clock &m_clock;
    double m_rate;
    double m_burst;
    std::optional<AutoRateBounds> m_adaptive;
    std::map<QString, Host> m_hosts;
};

} // namespace vigil::async
