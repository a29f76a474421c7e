// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

namespace vigil::fetch {

/// Integrates dC/dt = -k·C from C(0) = @p c0 over [0, @p tEnd] with classic fourth-order
/// Runge-Kutta in @p steps steps; returns C(tEnd). CPU work: run it on the compute pool.
[[nodiscard]] double integrateFirstOrderDecay(double k, double c0 = 1.0, double tEnd = 10.0,
                                              int steps = 100000);

/// @brief The kinetics compute stage's output for one response.
struct KineticsResult {
    double k = 0;
    double cFinal = 0;
    QString error; ///< set when the response has no usable "k"
};

/// Reads "k" from a /kinetics response and integrates C(10) with RK4 (10^5 steps). Pure; runs on
/// the compute pool.
[[nodiscard]] KineticsResult kineticsFromResponse(const QByteArray &body);

} // namespace vigil::fetch
