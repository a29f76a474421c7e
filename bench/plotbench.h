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
    int charts = 0; ///< 0: one chart per series; else the series are shared out over this many
};

/// @brief What one run measured.
struct PlotBenchResult {
    int series = 0;
    int charts = 0;
    qint64 points = 0; ///< samples held in the histories at the end
    double frameP50Ms = 0;
    double frameP95Ms = 0;
    double fps = 0;
    double dataStepsPerS = 0; ///< ticks that brought new readings: the most fps data can ask for
    double loopLagP99Ms = 0;
    /// The floor: the same points, grid lines and label count drawn with plain QPainter into
    /// QImages of the charts' sizes, in the same process right after the measured run.
    double referenceP50Ms = 0;
    double bytesPerPoint = 0; ///< held bytes of the histories per held sample (heldBytes())
    bool naive = false;
    /// `bench-plot series=S points=<held> frame_p50_ms=… frame_p95_ms=… fps=… loop_lag_p99_ms=…
    /// reference_frame_p50_ms=… ratio_p50=… bytes_per_point=… charts=N data_steps_per_s=…`
    [[nodiscard]] QString summaryLine() const;
};

/// Drives the real dashboard widgets in a 1600×1000 window (offscreen works) with synthetic
/// series polled through the real Poller. Needs a QApplication.
[[nodiscard]] QCoro::Task<PlotBenchResult> runPlotBench(PlotBenchOptions options);

} // namespace vigil::bench
