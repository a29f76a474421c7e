// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "clock.h"

#include <deque>
#include <optional>

namespace vigil::async {

/// @brief The user's bounds on an adaptive rate, requests per second; 0 means none.
struct AutoRateBounds {
    double min = 0;
    double max = 0;
    bool operator==(const AutoRateBounds &) const = default;
};

/// @brief What one answer from a host tells its adaptive rate.
struct HostAnswer {
    Clock::TimePoint sentAt{};
    bool throttled = false; ///< a 429 or a 503
    std::optional<Clock::Duration> retryAfter;
    /// The server's own announcement (RateLimit headers), when it made one.
    std::optional<double> quota;
    std::optional<Clock::Duration> window;
    std::optional<double> remaining;
    std::optional<Clock::Duration> reset;
};

/// @brief One host's request rate when its limit is unknown (`--rate auto`), learned the way TCP
/// learns a path's capacity, but aiming to settle just under the limit rather than saw between
/// half of it and all of it.
///
/// - Slow start: from 2/s, the rate doubles every quarter second while answers come back fine
///   and the rate is what holds the requests back (a rate nobody reaches is never raised).
/// - A 429 or 503 lowers it to 97% of what the server accepted: the requests answered fine
///   that were sent in the window before the refused one (the Retry-After, at least a second),
///   which is the server's limit when it counts requests over that window. Answers to those
///   requests that come back after the refusal (servers say "no" faster than "yes") count too.
///   One refusal per change counts: answers to requests sent before the rate fell say nothing
///   new. A second fall soon after the first, or no count to go by, halves the rate instead.
/// - After a quiet period the rate rises additively, 2% at a time (10% while well under the last
///   limit seen). Each refusal at the same limit as the last one doubles the quiet period (2 s up
///   to 32 s), so a rate that has found its limit rarely knocks on it again.
/// - A server that announces its policy (quota per window, or a limit with the reset time of a
///   fresh window) sets the rate at once to 90% of it, and to at most one request fewer than the
///   quota per window, and it is not probed past.
///
/// Pure logic on time points; KeyedRateLimiter applies rate() to the host's token bucket.
class AdaptiveRate {
public:
    static constexpr double kStartRate = 2.0;

    AdaptiveRate(AutoRateBounds bounds, Clock::TimePoint now);

    [[nodiscard]] double rate() const { return m_rate; }
    /// The limit last learned or announced (requests/s); 0 before any.
    [[nodiscard]] double ceiling() const { return m_ceiling; }
    [[nodiscard]] bool followsAnnouncement() const { return m_announced > 0; }
    [[nodiscard]] Clock::Duration quietPeriod() const { return m_quiet; }

    void onAnswer(const HostAnswer &answer, Clock::TimePoint now);

private:
    enum class Phase { SlowStart, Steady };
    void accepted(Clock::TimePoint sentAt, Clock::TimePoint now);
    /// A late answer to a request sent in the window a fall counted: count it after all.
    void recount(Clock::TimePoint sentAt);
    void throttled(const HostAnswer &answer, Clock::TimePoint now);
    void announced(const HostAnswer &answer, Clock::TimePoint now);
    /// Fine answers to requests sent in [from, to].
    [[nodiscard]] std::size_t acceptedBetween(Clock::TimePoint from, Clock::TimePoint to) const;
    /// …per second, over the span the kept answers cover.
    [[nodiscard]] double acceptedRate(Clock::TimePoint from, Clock::TimePoint to) const;
    /// An increase: a probe, after which a refusal means the limit was found again.
    void raise(double rate, Clock::TimePoint now);
    /// True when requests since the last change went out at close to the rate: it is what holds
    /// them back, so raising it would send more.
    [[nodiscard]] bool rateBinds(Clock::TimePoint now) const;
    void setRate(double rate, Clock::TimePoint now);
    /// @p rate within the user's bounds and the floor.
    [[nodiscard]] double bounded(double rate) const;

    AutoRateBounds m_bounds;
    double m_rate;
    double m_ceiling = 0;
    double m_announced = 0;       ///< the announced policy's requests/s
    double m_announcedTarget = 0; ///< the rate that follows it
    int m_acceptedSinceChange = 0;
    bool m_raisedSinceFall = false;
    Clock::Duration m_windowGuess{};
    Phase m_phase = Phase::SlowStart;
    Clock::TimePoint m_lastChange;
    std::optional<Clock::TimePoint> m_lastDecrease;
    /// The last fall that trusted a count: the refused request's send time, its window, and the
    /// rate the count may not exceed. Answers to requests sent in that window that come back
    /// after the refusal (a server answers "no" faster than "yes") raise the count, and the rate.
    struct Counted {
        Clock::TimePoint refusedSentAt;
        Clock::Duration window;
        double cap;
    };
    std::optional<Counted> m_counted;
    Clock::Duration m_quiet;
    std::deque<Clock::TimePoint> m_accepted; ///< send times, oldest first
};

} // namespace vigil::async
