// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

namespace vigil::bench {

/// @brief `vigil bench modbus` settings: @c registers adjacent holding registers, each a
/// sensor, read every @c intervalMs for @c seconds.
struct ModbusBenchOptions {
    int registers = 2000;
    int intervalMs = 100;
    double seconds = 10;
    QString vigilBinary; ///< runs `serve-demo --modbus --registers N` as the device
};

/// @brief What one run measured.
struct ModbusBenchResult {
    int registers = 0;
    int intervalMs = 0;
    qint64 cycles = 0;
    qint64 requests = 0; ///< sent by Vigil
    qint64 readings = 0; ///< good ones
    qint64 failed = 0;
    double cycleP99Ms = 0; ///< from a cycle's start to its last reading
    double cpuS = 0;       ///< this process, all threads, over the run
    double loopLagP99Ms = 0;
    /// The target: one request per 125 registers, so 2,000 take 16.
    [[nodiscard]] double targetRequestsPerCycle() const;
    /// `bench-modbus registers=… interval_ms=… cycles=… requests_per_cycle=… target=… met=…
    /// cycle_p99_ms=… cpu_us_per_register=… loop_lag_p99_ms=… readings=… failed=…`
    [[nodiscard]] QString summaryLine() const;
};

/// Starts Vigil's Modbus server in another process and polls its registers with a SensorHub
/// of register sensors in this one. Throws std::runtime_error when the server does not start.
[[nodiscard]] QCoro::Task<ModbusBenchResult> runModbusBench(ModbusBenchOptions options);

} // namespace vigil::bench
