// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <vector>

namespace vigil::async {

/// @brief A sliding window of lag samples (milliseconds) with percentiles; pure, no Qt.
class LagStats {
public:
    explicit LagStats(std::size_t window = 200);

    void add(double ms);
    void clear();

    /// The @p p-th percentile (0..100), nearest-rank; 0 when empty.
    [[nodiscard]] double percentile(double p) const;
    [[nodiscard]] double max() const;
    [[nodiscard]] double last() const { return m_last; }
    [[nodiscard]] std::size_t count() const { return m_filled; }
    [[nodiscard]] std::size_t window() const { return m_samples.size(); }

private:
    std::vector<double> m_samples;
    std::size_t m_next = 0;
    std::size_t m_filled = 0;
    double m_last = 0.0;
};

} // namespace vigil::async
