// SPDX-License-Identifier: Apache-2.0
#include "adaptiverate.h"

#include <algorithm>
#include <chrono>

namespace vigil::async {

namespace {
using namespace std::chrono_literals;

constexpr double kFloorRate = 0.05; // one request in 20 s: slower is a stopped host
constexpr double kTopRate = 1e6;    // beyond any server: "no limit" in practice
constexpr double kMargin = 0.97;    // how far under a learned limit to settle
// … and under an announced one: a window then holds one request less than the quota allows, so
// the server's "remaining" stays above 0 and never holds the host for a whole (rounded) reset.
constexpr double kAnnouncedMargin = 0.9;
constexpr double kAnnouncedMarginFewer = 0.98; // … and under one request fewer than the quota
constexpr double kStep = 0.02;                 // additive increase, as a share of the rate
constexpr double kRecoveryStep = 0.10;         // … while well under the last limit seen
constexpr double kWellUnder = 0.8;
constexpr double kSameLimit = 0.15; // a refusal within 15% of the last limit found it again
constexpr auto kSlowStartStep = 250ms;
constexpr auto kFirstQuiet = 2s;
constexpr auto kLongestQuiet = 32s;
constexpr auto kShortestWindow = 1s;
constexpr auto kLongestWindow = 60s;
constexpr std::size_t kKeptAnswers = 1024; // per host; 1,000 hosts cost 8 MB at most
constexpr double kBinds = 0.6; // requests went out at 60% of the rate or more: it holds them back

double seconds(Clock::Duration d) {
    return std::chrono::duration<double>(d).count();
}
} // namespace

AdaptiveRate::AdaptiveRate(AutoRateBounds bounds, Clock::TimePoint now)
    : m_bounds(bounds)
    , m_rate(0)
    , m_lastChange(now)
    , m_quiet(kFirstQuiet) {
    setRate(kStartRate, now);
}

double AdaptiveRate::bounded(double rate) const {
    const double lo = std::max(kFloorRate, m_bounds.min);
    const double hi = m_bounds.max > 0 ? std::max(lo, m_bounds.max) : kTopRate;
    return std::clamp(rate, lo, hi);
}

void AdaptiveRate::setRate(double rate, Clock::TimePoint now) {
    m_rate = bounded(rate);
    m_lastChange = now;
}

void AdaptiveRate::onAnswer(const HostAnswer &answer, Clock::TimePoint now) {
    if (answer.quota)
        announced(answer, now);
    if (answer.throttled)
        throttled(answer, now);
    else
        accepted(answer.sentAt, now);
}

std::size_t AdaptiveRate::acceptedBetween(Clock::TimePoint from, Clock::TimePoint to) const {
    const auto lo = std::lower_bound(m_accepted.begin(), m_accepted.end(), from);
    const auto hi = std::upper_bound(lo, m_accepted.end(), to);
    return std::size_t(hi - lo);
}

bool AdaptiveRate::rateBinds(Clock::TimePoint now) const {
    const double span = seconds(now - m_lastChange);
    return span > 0 && double(acceptedBetween(m_lastChange, now)) / span >= kBinds * m_rate;
}

void AdaptiveRate::accepted(Clock::TimePoint sentAt, Clock::TimePoint now) {
    // Answers arrive out of order; most belong at the end.
    m_accepted.insert(std::upper_bound(m_accepted.begin(), m_accepted.end(), sentAt), sentAt);
    while (!m_accepted.empty() &&
           (m_accepted.size() > kKeptAnswers || m_accepted.front() < now - kLongestWindow))
        m_accepted.pop_front();
    recount(sentAt);
    if (m_announced > 0 || sentAt < m_lastChange)
        return; // the server said its limit; or this says nothing about the current rate
    const auto since = now - m_lastChange;
    if (m_phase == Phase::SlowStart) {
        if (since >= kSlowStartStep && acceptedBetween(m_lastChange, now) >= 2 && rateBinds(now))
            setRate(2 * m_rate, now);
        return;
    }
    if (since >= m_quiet && rateBinds(now)) {
        const bool wellUnder = m_ceiling > 0 && m_rate < kWellUnder * m_ceiling;
        setRate(m_rate * (1 + (wellUnder ? kRecoveryStep : kStep)), now);
    }
}

void AdaptiveRate::recount(Clock::TimePoint sentAt) {
    if (!m_counted || sentAt > m_counted->refusedSentAt ||
        sentAt < m_counted->refusedSentAt - m_counted->window)
        return;
    const double seen = double(acceptedBetween(m_counted->refusedSentAt - m_counted->window,
                                               m_counted->refusedSentAt)) /
                        seconds(m_counted->window);
    m_ceiling = std::max(m_ceiling, seen);
    m_rate = bounded(std::max(m_rate, kMargin * std::min(seen, m_counted->cap)));
}

void AdaptiveRate::throttled(const HostAnswer &answer, Clock::TimePoint now) {
    if (m_lastDecrease && answer.sentAt < *m_lastDecrease)
        return; // sent before the rate fell: the fall already answered it
    const auto window = std::clamp<Clock::Duration>(answer.retryAfter.value_or(kShortestWindow),
                                                    kShortestWindow, kLongestWindow);
    const auto n = acceptedBetween(answer.sentAt - window, answer.sentAt);
    const double seen = double(n) / seconds(window);
    double next = n >= 2 ? kMargin * std::min(seen, m_rate) : 0.5 * m_rate;
    const bool soonAgain = m_lastDecrease && now - *m_lastDecrease < 2 * m_quiet;
    if (soonAgain && m_phase == Phase::Steady)
        next = std::min(next, 0.5 * m_rate); // the limit just learned did not hold
    const double limit = n >= 2 ? seen : m_rate;
    const bool sameLimit = m_ceiling > 0 && std::abs(limit - m_ceiling) <= kSameLimit * m_ceiling;
    m_quiet = sameLimit ? std::min<Clock::Duration>(2 * m_quiet, kLongestQuiet) : kFirstQuiet;
    if (m_announced <= 0)
        m_ceiling = limit;
    m_counted.reset();
    if (n >= 2 && next >= kMargin * std::min(seen, m_rate) - 1e-9)
        m_counted = Counted{answer.sentAt, window, m_rate};
    m_phase = Phase::Steady;
    m_lastDecrease = now;
    setRate(next, now);
}

void AdaptiveRate::announced(const HostAnswer &answer, Clock::TimePoint now) {
    double allowed = 0;
    if (answer.window && *answer.window > Clock::Duration::zero()) {
        allowed = *answer.quota / seconds(*answer.window);
    } else if (answer.reset) {
        // No policy: the longest reset seen is the best guess of the window (a fresh window's
        // reset is its whole length).
        m_windowGuess = std::max(m_windowGuess, *answer.reset);
        allowed =
            *answer.quota / seconds(std::max<Clock::Duration>(m_windowGuess, kShortestWindow));
    }
    if (allowed <= 0 || std::abs(allowed - m_announced) <= 0.01 * m_announced)
        return;
    m_announced = allowed;
    m_ceiling = allowed;
    m_phase = Phase::Steady;
    // Whole-quota windows: one request fewer than the quota in any window, so "remaining" never
    // reaches 0 and the host never waits out a reset that the server rounds up to whole seconds.
    double target = kAnnouncedMargin * allowed;
    if (answer.window && *answer.quota >= 2)
        target =
            std::min(target, kAnnouncedMarginFewer * (*answer.quota - 1) / seconds(*answer.window));
    setRate(target, now);
}

} // namespace vigil::async
