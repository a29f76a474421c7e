// SPDX-License-Identifier: Apache-2.0
#include "meanrevertingwalk.h"

namespace vigil::sensors {

MeanRevertingWalk::MeanRevertingWalk(double setpoint, double sigma, double reversion,
                                     std::uint32_t seed)
    : m_setpoint(setpoint)
    , m_reversion(reversion)
    , m_value(setpoint)
    , m_rng(seed)
    , m_noise(0.0, sigma) {}

double MeanRevertingWalk::next() {
    m_value += m_noise(m_rng);
    m_value += m_reversion * (m_setpoint - m_value);
    return m_value;
}

} // namespace vigil::sensors
