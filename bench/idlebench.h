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
    double wallS = 0;      ///< how long the measured part ran
    qint64 frames = 0;
    double loopLagP99Ms = 0;
    double readRateWorst = 0; ///< readings received / expected, of the worst-served sensor
    double readRateMean = 0;  ///< the same, averaged over the sensors
    double rssStartMB = 0;    ///< resident size once the window has settled (after 2 s)
    double rssMB = 0;         ///< at the end of the run
    qint64 points = 0;        ///< samples held by every sensor's history at the end
    int retentionS = 0;       ///< how much history each sensor keeps
    /// The resident size once the histories are full (retention): the end figure plus the
    /// growth per second since the start, over the retention not yet filled. Printed only for
    /// runs of 5 minutes or more ("n/a" otherwise).
    [[nodiscard]] double rssFullMB() const;
    /// `bench-idle cpu_percent=… frames=… loop_lag_p99_ms=… read_rate_ratio=<worst>
    /// read_rate_mean=… rss_start_mb=… rss_mb=… points=… rss_full_history_mb=…`
    [[nodiscard]] QString summaryLine() const;
};

/// Runs the real MainWindow (offscreen works) without touching the remembered dashboard. Needs a
/// QApplication.
[[nodiscard]] QCoro::Task<IdleBenchResult> runIdleBench(IdleBenchOptions options);

} // namespace vigil::bench
