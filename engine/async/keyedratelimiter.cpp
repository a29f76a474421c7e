// SPDX-License-Identifier: Apache-2.0
#include "keyedratelimiter.h"

namespace vigil::async {

KeyedRateLimiter::Host &KeyedRateLimiter::host(const QString &key) {
    auto &h = m_hosts[key];
    if (!h.limiter) {
        if (m_adaptive)
            h.adaptive.emplace(*m_adaptive, m_clock.now());
        h.limiter = std::make_unique<RateLimiter>(m_clock, h.adaptive ? h.adaptive->rate() : m_rate,
                                                  m_burst);
    }
    return h;
}

void KeyedRateLimiter::pauseUntil(const QString &key, Clock::TimePoint until, int status) {
    Host &h = host(key);
    if (until >= h.limiter->pausedUntil())
        h.pauseStatus = status; // the longest pause is the one an item waits for
    h.limiter->pauseUntil(until);
}

RateLimiter &KeyedRateLimiter::forKey(const QString &key) {
    return *host(key).limiter;
}

void KeyedRateLimiter::sent(const QString &key, Clock::TimePoint sentAt) {
    host(key).inFlight.insert(sentAt);
}

void KeyedRateLimiter::ended(const QString &key, Clock::TimePoint sentAt) {
    Host &h = host(key);
    if (const auto it = h.inFlight.find(sentAt); it != h.inFlight.end())
        h.inFlight.erase(it);
}

void KeyedRateLimiter::answered(const QString &key, const HostAnswer &answer) {
    ended(key, answer.sentAt);
    Host &h = host(key);
    if (!h.adaptive)
        return;
    const auto now = m_clock.now();
    h.adaptive->onAnswer(answer, now);
    h.limiter->setRate(h.adaptive->rate());
    // What is left in the window is what the requests sent after this one and still in flight
    // will use (those sent before it the server has mostly counted already): when they use it
    // all, the next one waits for the reset instead of drawing a 429.
    const auto later = std::distance(h.inFlight.upper_bound(answer.sentAt), h.inFlight.end());
    if (answer.remaining && *answer.remaining <= double(later))
        pauseUntil(key, now + answer.reset.value_or(std::chrono::seconds(1)), 429);
}

} // namespace vigil::async
