// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

namespace vigil::bench {

/// @brief `vigil bench idle` settings: the default dashboard (or @c sensors simulated sensors
/// read every @c intervalMs) in the real MainWindow, measured for @c seconds.
struct IdleBenchOptions {
    int seconds = 30;
    int windowS = 60;
    bool hidden = false; ///< another tab is shown, so the charts are not visible
    int sensors = 0;     ///< 0: the default dashboard
    int intervalMs = 100;
};

/// @brief What one run measured.
struct IdleBenchResult {
    double cpuPercent = 0; ///< process CPU time (all threads) over wall time, in % of one core
    qint64 frames = 0;
    double loopLagP99Ms = 0;
    double readRateWorst = 0; ///< readings received / expected, of the worst-served sensor
    double readRateMean = 0;  ///< the same, averaged over the sensors
    /// `bench-idle cpu_percent=… frames=… loop_lag_p99_ms=… read_rate_ratio=<worst>
    /// read_rate_mean=…`
    [[nodiscard]] QString summaryLine() const;
};

/// Runs the real MainWindow (offscreen works) without touching the remembered dashboard. Needs a
/// QApplication.
[[nodiscard]] QCoro::Task<IdleBenchResult> runIdleBench(IdleBenchOptions options);

} // namespace vigil::bench
