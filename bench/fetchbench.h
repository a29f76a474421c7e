// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

namespace vigil::bench {

/// @brief What `vigil bench fetch` measures against a demo server in another process.
struct FetchBenchResult {
    int n = 0;
    int concurrency = 0;
    int latencyMs = 0;
    int ok = 0;
    double wallS = 0;
    double idealS = 0; ///< ceil(n / c) × latency
    double cpuS = 0;   ///< this process's user + system CPU time during the batch
    double peakRssMb = 0;
    int serverPeakInFlight = 0;
    double serverLateUsP95 = 0; ///< how late the server's own latency timers fired (its share)
    double p50Ms = 0;
    double p95Ms = 0;
    bool qtNetwork = false;
    QString cores; ///< how server and client shared the CPUs (see splitCores)

    [[nodiscard]] double efficiency() const { return wallS > 0 ? idealS / wallS : 0; }
    /// `bench-fetch n=… c=… wall_s=… ideal_s=… efficiency=… rps=… cpu_s=… …`
    [[nodiscard]] QString summaryLine() const;
};

/// Starts `@p vigilBinary serve-demo`, fetches /item/0..n-1?ms=latency through the real
/// BatchRunner at concurrency @p c, and stops the server. With @p qtNetwork every request goes
/// through QNetworkAccessManager; with @p separateCores the server and this process run on
/// different CPUs (Vigil's own transport only). Throws std::runtime_error if the server does
/// not start.
[[nodiscard]] QCoro::Task<FetchBenchResult> runFetchBench(QString vigilBinary, int n, int c,
                                                          int latencyMs, bool qtNetwork = false,
                                                          bool separateCores = true);

} // namespace vigil::bench
