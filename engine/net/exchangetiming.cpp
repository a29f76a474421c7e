// SPDX-License-Identifier: Apache-2.0
#include "exchangetiming.h"

#include <algorithm>

namespace vigil::net {

namespace {
using TimePoint = ExchangeMarks::SteadyClock::time_point;

float msBetween(TimePoint from, TimePoint to) {
    return std::max(0.0f, std::chrono::duration<float, std::milli>(to - from).count());
}

bool reached(TimePoint mark) {
    return mark != TimePoint{};
}
} // namespace

float ExchangeTiming::totalMs() const {
    float total = sendMs + waitMs + receiveMs;
    for (const float phase : {dnsMs, connectMs})
        total += std::max(0.0f, phase);
    return total;
}

ExchangeTiming ExchangeTiming::unmeasured(float elapsedMs) {
    ExchangeTiming t;
    t.waitMs = std::max(0.0f, elapsedMs);
    return t;
}

void ExchangeMarks::connecting(bool reused, bool tls) {
    const auto now = SteadyClock::now();
    if (!reached(m_connecting))
        m_connecting = now;
    m_lookup = now;
    m_hostFound = m_connected = m_writing = m_sent = m_firstByte = TimePoint{};
    m_reused = reused;
    m_tls = tls;
}

void ExchangeMarks::sent() {
    if (!reached(m_sent))
        m_sent = SteadyClock::now();
}

void ExchangeMarks::firstByte() {
    if (!reached(m_firstByte))
        m_firstByte = SteadyClock::now();
}

ExchangeTiming ExchangeMarks::timing(TimePoint end) const {
    ExchangeTiming t;
    if (!reached(m_connecting))
        return t;
    t.measured = true;
    t.reused = m_reused;
    const TimePoint writeStart = reached(m_writing) ? m_writing : end;
    if (!m_reused) {
        // Qt says a host was found once its lookup succeeded (at once for an address): a
        // connection that never got that far failed, or timed out, looking it up.
        const bool found = reached(m_hostFound) || reached(m_connected);
        const TimePoint dnsEnd = reached(m_hostFound) ? m_hostFound : found ? m_lookup : writeStart;
        t.dnsMs = msBetween(m_lookup, dnsEnd);
        // A stale kept-alive connection tried first is time spent connecting too.
        t.connectMs = msBetween(dnsEnd, writeStart) + msBetween(m_connecting, m_lookup);
        if (m_tls && reached(m_connected))
            t.sslMs = msBetween(m_connected, writeStart);
    }
    if (!reached(m_writing))
        return t; // it failed while connecting
    const TimePoint sentAt = reached(m_sent) ? m_sent : end;
    // A reused connection writes at once: its moment of taking counts as sending.
    t.sendMs = msBetween(m_reused ? m_connecting : m_writing, sentAt);
    if (!reached(m_sent))
        return t;
    const TimePoint first = reached(m_firstByte) ? m_firstByte : end;
    t.waitMs = msBetween(m_sent, first);
    if (reached(m_firstByte))
        t.receiveMs = msBetween(m_firstByte, end);
    return t;
}

} // namespace vigil::net
