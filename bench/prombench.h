// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

namespace vigil::bench {

/// @brief `vigil bench prometheus` settings: @c series series of @c hours of 1 s samples, drawn
/// @c widthPx wide.
struct PromBenchOptions {
    int series = 16;
    int widthPx = 1200;
    double hours = 1;
};

/// @brief One run: Vigil's backfill (query_range, min and max per step, every series at once)
/// and curl making the same calls, against the same Prometheus.
struct PromBenchResult {
    int series = 0;
    int queries = 0;
    qint64 stepMs = 0;
    qint64 samples = 0; ///< stored in the histories
    qint64 points = 0;  ///< drawn: what the decimation of the window gives at the width
    double vigilMs = 0;
    double curlMs = 0;
    double curlFloorMs = 0; ///< curl's start and one trivial request: part of curlMs
    double loopLagP99Ms = 0;
    double loopLagMaxMs = 0;
    /// `bench-prometheus series=… queries=… step_s=… samples=… points=… backfill_ms=… curl_ms=…
    /// ratio=… loop_lag_p99_ms=… loop_lag_max_ms=… curl_floor_ms=…`
    [[nodiscard]] QString summaryLine() const;
};

/// Fills a private Prometheus with synthetic series (promtool tsdb create-blocks-from
/// openmetrics: a sine with noise and a one-sample spike every 7 minutes), then backfills every
/// series over the last @c hours with PrometheusSource and with curl. Throws std::runtime_error
/// when prometheus, promtool or curl is missing or fails.
[[nodiscard]] QCoro::Task<PromBenchResult> runPromBench(PromBenchOptions options);

} // namespace vigil::bench
