#include "lagstats.h"

#include <algorithm>
#include <cmath>

namespace vigil::async {

LagStats::LagStats(std::size_t window) : m_samples(std::max<std::size_t>(1, window), 0.0) {}

void LagStats::add(double ms)
{
    m_samples[m_next] = ms;
    m_next = (m_next + 1) % m_samples.size();
    m_filled = std::min(m_filled + 1, m_samples.size());
    m_last = ms;
}

void LagStats::clear()
{
    m_next = 0;
    m_filled = 0;
    m_last = 0.0;
}

double LagStats::percentile(double p) const
{
    if (m_filled == 0)
        return 0.0;
    std::vector<double> sorted(m_samples.begin(), m_samples.begin() + std::ptrdiff_t(m_filled));
    const double clamped = std::clamp(p, 0.0, 100.0);
    const auto rank = std::size_t(std::ceil(clamped / 100.0 * double(m_filled)));
    const std::size_t index = rank == 0 ? 0 : rank - 1;
    std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(index), sorted.end());
    return sorted[index];
}

double LagStats::max() const
{
    if (m_filled == 0)
        return 0.0;
    return *std::max_element(m_samples.begin(), m_samples.begin() + std::ptrdiff_t(m_filled));
}

} // namespace vigil::async
