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
    m_acceptedSinceChange = 0;
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

double AdaptiveRate::acceptedRate(Clock::TimePoint from, Clock::TimePoint to) const {
    const auto n = acceptedBetween(from, to);
    // Fewer answers are kept than a fast host's long window holds: then the kept ones' span.
    const auto start =
        n == m_accepted.size() && !m_accepted.empty() && m_accepted.size() >= kKeptAnswers
            ? std::max(from, m_accepted.front())
            : from;
    const double span = seconds(to - start);
    return span > 0 ? double(n) / span : 0;
}

bool AdaptiveRate::rateBinds(Clock::TimePoint now) const {
    const double span = seconds(now - m_lastChange);
    return span > 0 && double(m_acceptedSinceChange) / span >= kBinds * m_rate;
}

void AdaptiveRate::accepted(Clock::TimePoint sentAt, Clock::TimePoint now) {
    // Answers arrive out of order; most belong at the end.
    m_accepted.insert(std::upper_bound(m_accepted.begin(), m_accepted.end(), sentAt), sentAt);
    while (!m_accepted.empty() &&
           (m_accepted.size() > kKeptAnswers || m_accepted.front() < now - kLongestWindow))
        m_accepted.pop_front();
    recount(sentAt);
    if (sentAt < m_lastChange)
        return; // this says nothing about the current rate
    ++m_acceptedSinceChange;
    const auto since = now - m_lastChange;
    if (m_announced > 0) {
        // The server's own figure, back after the quiet that followed a refusal (a quota shared
        // with another client, a brief overload); never past it.
        if (m_rate < m_announcedTarget && since >= m_quiet)
            raise(m_announcedTarget, now);
        return;
    }
    // Slow start, and again after a fall far below the limit known (an outage's 503s): doubling
    // back to half of it.
    const bool farUnder = m_ceiling > 0 && m_rate < 0.5 * m_ceiling;
    if (m_phase == Phase::SlowStart || farUnder) {
        const int answers = farUnder ? 1 : 2; // at a low rate one answer is all there is
        if (since >= kSlowStartStep && m_acceptedSinceChange >= answers && rateBinds(now))
            raise(farUnder ? std::min(2 * m_rate, 0.5 * m_ceiling) : 2 * m_rate, now);
        return;
    }
    if (since >= m_quiet && rateBinds(now)) {
        const bool wellUnder = m_ceiling > 0 && m_rate < kWellUnder * m_ceiling;
        raise(m_rate * (1 + (wellUnder ? kRecoveryStep : kStep)), now);
    }
}

void AdaptiveRate::raise(double rate, Clock::TimePoint now) {
    m_raisedSinceFall = true;
    setRate(rate, now);
}

void AdaptiveRate::recount(Clock::TimePoint sentAt) {
    if (!m_counted || sentAt > m_counted->refusedSentAt ||
        sentAt < m_counted->refusedSentAt - m_counted->window)
        return;
    const double seen =
        acceptedRate(m_counted->refusedSentAt - m_counted->window, m_counted->refusedSentAt);
    m_ceiling = std::max(m_ceiling, seen);
    m_rate = bounded(std::max(m_rate, kMargin * std::min(seen, m_counted->cap)));
}

void AdaptiveRate::throttled(const HostAnswer &answer, Clock::TimePoint now) {
    if (m_lastDecrease && answer.sentAt < *m_lastDecrease)
        return; // sent before the rate fell: the fall already answered it
    const auto window = std::clamp<Clock::Duration>(answer.retryAfter.value_or(kShortestWindow),
                                                    kShortestWindow, kLongestWindow);
    const auto n = acceptedBetween(answer.sentAt - window, answer.sentAt);
    const double seen = acceptedRate(answer.sentAt - window, answer.sentAt);
    const bool counted = n >= 2;
    // Refused again with no probe since the last fall: the limit just learned did not hold.
    const bool heldNot = m_lastDecrease && !m_raisedSinceFall;
    const bool trusted = counted && !heldNot;
    // Halvings stop at an eighth of the limit known: refusals in a row are an outage, and the
    // host's pauses (Retry-After) and each item's backoff already keep Vigil off it.
    const double next = trusted ? kMargin * std::min(seen, m_rate)
                                : std::min(m_rate, std::max(0.5 * m_rate, m_ceiling / 8));
    // Only a trusted count moves the limit known: a run of refusals (an outage's 503s) is not
    // a limit, and the rate doubles back towards it once answers come back fine.
    if (trusted) {
        const bool sameLimit =
            m_ceiling > 0 && std::abs(seen - m_ceiling) <= kSameLimit * m_ceiling;
        m_quiet = sameLimit ? std::min<Clock::Duration>(2 * m_quiet, kLongestQuiet) : kFirstQuiet;
        if (m_announced <= 0)
            m_ceiling = seen;
    } else if (m_ceiling <= 0 && m_announced <= 0) {
        m_ceiling = m_rate;
    }
    m_counted.reset();
    if (trusted)
        m_counted = Counted{answer.sentAt, window, m_rate};
    m_phase = Phase::Steady;
    m_lastDecrease = now;
    m_raisedSinceFall = false;
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
    m_announcedTarget = target;
    setRate(target, now);
}

} // namespace vigil::async
