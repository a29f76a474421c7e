// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "exposition.h"

#include <QList>

#include <vector>

namespace vigil::metrics {

/// @brief A Prometheus histogram: counts of observations at or below each upper bound, with
/// their sum. Observing is a binary search and an increment, cheap enough for every reading.
class Histogram {
public:
    /// @p bounds: increasing upper bounds, without +Inf (added when written).
    explicit Histogram(std::vector<double> bounds);

    void observe(double value);
    [[nodiscard]] quint64 count() const { return m_count; }
    [[nodiscard]] double sum() const { return m_sum; }
    void write(ExpositionWriter &out, const char *name, const Labels &labels = {}) const;

    /// Bounds in seconds for latencies from a millisecond to a minute.
    [[nodiscard]] static std::vector<double> latencyBounds();
    /// Bounds in seconds for event-loop lag, from half a millisecond to two seconds.
    [[nodiscard]] static std::vector<double> lagBounds();

private:
    std::vector<double> m_bounds;
    std::vector<quint64> m_counts; ///< per bucket, not cumulative; the last is above every bound
    quint64 m_count = 0;
    double m_sum = 0;
};

} // namespace vigil::metrics
