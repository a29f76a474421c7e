// SPDX-License-Identifier: Apache-2.0
#include "lagstats.h"

#include "util/percentile.h"

#include <algorithm>
#include <cmath>

namespace vigil::async {

LagStats::LagStats(std::size_t window)
    : m_samples(std::max<std::size_t>(1, window), 0.0) {}

void LagStats::add(double ms) {
    m_samples[m_next] = ms;
    m_next = (m_next + 1) % m_samples.size();
    m_filled = std::min(m_filled + 1, m_samples.size());
    m_last = ms;
}

void LagStats::clear() {
    m_next = 0;
    m_filled = 0;
    m_last = 0.0;
}

double LagStats::percentile(double p) const {
    return util::nearestRankPercentile(
        std::vector<double>(m_samples.begin(), m_samples.begin() + std::ptrdiff_t(m_filled)), p);
}

double LagStats::max() const {
    if (m_filled == 0)
        return 0.0;
    return *std::max_element(m_samples.begin(), m_samples.begin() + std::ptrdiff_t(m_filled));
}

} // namespace vigil::async
