// SPDX-License-Identifier: Apache-2.0
#include "latencylimit.h"

#include <algorithm>

namespace vigil::fetch {

namespace {
constexpr double kSmoothing = 0.2; // weight of the newest answer in the smoothed latency
constexpr double kShrinkBy = 0.8;
} // namespace

LatencyLimit::LatencyLimit(int start, int max)
    : m_limit(std::clamp(start, 1, std::max(1, max)))
    , m_max(std::max(1, max)) {}

void LatencyLimit::observe(double ms) {
    ms = std::max(ms, 0.001);
    m_smoothedMs = m_smoothedMs < 0 ? ms : m_smoothedMs + kSmoothing * (ms - m_smoothedMs);
    m_baselineMs = m_baselineMs < 0 ? ms : std::min(m_baselineMs, ms);
    // One decision per round of answers (as many as the limit): the answers to requests sent
    // under the last limit have come back by then.
    if (++m_answersSinceChange < current())
        return;
    m_answersSinceChange = 0;
    if (m_smoothedMs > kShrinkAbove * m_baselineMs && current() == 1)
        m_baselineMs = m_smoothedMs; // slow even one at a time: the host's normal has changed
    else if (m_smoothedMs > kShrinkAbove * m_baselineMs)
        m_limit = std::max(1.0, m_limit * kShrinkBy);
    else if (m_smoothedMs < kGrowBelow * m_baselineMs)
        m_limit = std::min(double(m_max), m_limit + 1);
}

int LatencyLimit::current() const {
    return std::max(1, int(m_limit));
}

} // namespace vigil::fetch
