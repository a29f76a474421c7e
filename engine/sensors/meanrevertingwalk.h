// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <random>

namespace vigil::sensors {

/// @brief A process value that wanders and is pulled back to its setpoint: each step adds N(0, σ)
/// noise, then moves the value by reversion × (setpoint − value). Seedable, so runs repeat.
class MeanRevertingWalk {
public:
    MeanRevertingWalk(double setpoint, double sigma, double reversion = 0.1,
                      std::uint32_t seed = 1);

    double next();
    /// Moves the value, e.g. to start a demo away from the setpoint.
    void setValue(double value) { m_value = value; }
    [[nodiscard]] double value() const { return m_value; }
    [[nodiscard]] double setpoint() const { return m_setpoint; }
    [[nodiscard]] double sigma() const { return m_noise.stddev(); }

private:
    double m_setpoint;
    double m_reversion;
    double m_value;
    std::mt19937 m_rng;
    std::normal_distribution<double> m_noise;
};

} // namespace vigil::sensors
