// SPDX-License-Identifier: Apache-2.0
#include "histogram.h"

#include <algorithm>
#include <cmath>

namespace vigil::metrics {

Histogram::Histogram(std::vector<double> bounds)
    : m_bounds(std::move(bounds))
    , m_counts(m_bounds.size() + 1, 0) {}

void Histogram::observe(double value) {
    if (std::isnan(value))
        return;
    const auto at = std::lower_bound(m_bounds.begin(), m_bounds.end(), value);
    ++m_counts[std::size_t(at - m_bounds.begin())];
    ++m_count;
    m_sum += value;
}

void Histogram::write(ExpositionWriter &out, const char *name, const Labels &labels) const {
    std::vector<quint64> cumulative(m_counts.size());
    quint64 running = 0;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        running += m_counts[i];
        cumulative[i] = running;
    }
    out.histogram(name, labels, m_bounds, cumulative, m_sum);
}

std::vector<double> Histogram::latencyBounds() {
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

std::vector<double> Histogram::lagBounds() {
    return {0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.5, 1, 2};
}

} // namespace vigil::metrics
