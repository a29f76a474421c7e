// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

namespace vigil::bench {

/// @brief `vigil bench lines` settings: @c rateHz lines a second of @c columns values for
/// @c seconds, over a pseudo-terminal.
struct LinesBenchOptions {
    double rateHz = 10000;
    int columns = 8;
    double seconds = 10;
    QString vigilBinary; ///< runs `serve-demo --serial` as the instrument
};

/// @brief What one run measured.
struct LinesBenchResult {
    double rateHz = 0;
    int columns = 0;
    qint64 sent = 0;     ///< lines the instrument wrote
    qint64 received = 0; ///< lines the source read
    qint64 malformed = 0;
    qint64 values = 0;  ///< readings of the first value column
    double seconds = 0; ///< from the start to the last line read
    double cpuS = 0;
    double loopLagP99Ms = 0;
    /// `bench-lines rate_hz=… columns=… sent=… received=… lost=… malformed=… lines_per_s=…
    /// cpu_us_per_line=… loop_lag_p99_ms=… met=…` (met: no line lost and lag p99 ≤ 5 ms)
    [[nodiscard]] QString summaryLine() const;
};

/// Starts Vigil's serial instrument in another process and reads its pty with a LinesSource
/// feeding a SensorHub in this one. Throws std::runtime_error when the instrument does not
/// start.
[[nodiscard]] QCoro::Task<LinesBenchResult> runLinesBench(LinesBenchOptions options);

} // namespace vigil::bench
