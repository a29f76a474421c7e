// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

namespace vigil::bench {

/// @brief `vigil bench plot` settings: S series of H Hz, each pre-filled with T seconds of
/// history, then streaming for D seconds.
struct PlotBenchOptions {
    int series = 16;
    double rateHz = 50;
    int historyS = 3600;
    int seconds = 10;
    bool naive = false;
};

/// @brief What one run measured.
struct PlotBenchResult {
    int series = 0;
    qint64 points = 0; ///< samples held in the histories at the end
    double frameP50Ms = 0;
    double frameP95Ms = 0;
    double fps = 0;
    double loopLagP99Ms = 0;
    bool naive = false;
    /// `bench-plot series=S points=<held> frame_p50_ms=… frame_p95_ms=… fps=… loop_lag_p99_ms=…`
    [[nodiscard]] QString summaryLine() const;
};

/// Drives the real dashboard widgets in a 1600×1000 window (offscreen works) with synthetic
/// series polled through the real Poller. Needs a QApplication.
[[nodiscard]] QCoro::Task<PlotBenchResult> runPlotBench(PlotBenchOptions options);

} // namespace vigil::bench
