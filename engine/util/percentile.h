// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace vigil::util {

/// The @p p-th percentile (0..100) of @p values by nearest rank; 0 for no values. Takes the
/// vector by value because it reorders it.
[[nodiscard]] inline double nearestRankPercentile(std::vector<double> values, double p) {
    if (values.empty())
        return 0.0;
    const double clamped = std::clamp(p, 0.0, 100.0);
    const auto rank = std::size_t(std::ceil(clamped / 100.0 * double(values.size())));
    const std::size_t index = rank == 0 ? 0 : rank - 1;
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(index), values.end());
    return values[index];
}

} // namespace vigil::util
