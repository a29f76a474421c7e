// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

namespace vigil::bench {

/// @brief `vigil bench app` settings: the plot bench's streaming charts, a batch and downloads
/// against `vigil serve-demo` in another process, all at once in the real MainWindow.
struct AppBenchOptions {
    int series = 16; ///< one chart each
    double rateHz = 50;
    int historyS = 3600; ///< pre-filled per series; also the charts' window (10, 60, 600, 3600)
    int items = 10000;   ///< the batch: /item/{i}?ms=latencyMs
    int concurrency = 200;
    int latencyMs = 50;
    int downloads = 4; ///< all at once, each downloadMib MiB from /bytes
    int downloadMib = 256;
};

/// @brief What one run measured. The loaded figures come from the charts streaming while the
/// batch and the downloads run together; the solo ones from each alone, charts idle.
struct AppBenchResult {
    double fps = 0;          ///< frames drawn per second while the load ran
    double frameP95Ms = 0;   ///< GUI-thread time per frame
    double loopLagP99Ms = 0; ///< 5 ms probe, while the load ran
    double batchWallS = 0;
    double batchSoloWallS = 0;
    double idealS = 0; ///< ceil(items / concurrency) × latency
    double downloadWallS = 0;
    double downloadSoloWallS = 0;
    qint64 downloadBytes = 0;
    double loadS = 0; ///< the loaded window: until both the batch and the downloads ended
    qint64 frames = 0;
    double streamingFps = 0;      ///< the charts streaming for 2 s with no batch or download
    double streamingLagP99Ms = 0; ///< the same 2 s
    double guiCpuS = 0;           ///< CPU time of the GUI thread in the loaded window
    double guiWaitS = 0; ///< time the GUI thread was runnable but waited for a CPU, same window
    /// Of all cores' time in the loaded window, the share that was busy (any process).
    double machineBusyShare = 0;
    double peakRssMb = 0;
    QString out; ///< "tmpfs" or "disk": where the downloads went

    /// Ideal time over actual time: 1.0 is a batch as fast as the server's latency allows.
    [[nodiscard]] double batchEfficiency() const { return ratio(idealS, batchWallS); }
    [[nodiscard]] double batchEfficiencySolo() const { return ratio(idealS, batchSoloWallS); }
    /// Megabytes (10^6 bytes) per second, all files together.
    [[nodiscard]] double downloadMbps() const { return ratio(downloadBytes / 1e6, downloadWallS); }
    [[nodiscard]] double downloadMbpsSolo() const {
        return ratio(downloadBytes / 1e6, downloadSoloWallS);
    }
    /// `bench-app fps=… frame_p95_ms=… loop_lag_p99_ms=… batch_efficiency=…
    /// batch_efficiency_solo=… download_mbps=… download_mbps_solo=…` then the details.
    [[nodiscard]] QString summaryLine() const;

private:
    static double ratio(double a, double b) { return b > 0 ? a / b : 0; }
};

/// Starts `@p vigilBinary serve-demo`, opens the real MainWindow (offscreen works; its settings
/// go to a temporary folder, never the user's) with @p options.series simulated sensors streaming
/// into one chart each, and runs the Batch Fetch and Downloads tabs as a user would: alone with
/// the sensors stopped, then both at once with the charts streaming. Downloads go to a tmpfs when
/// there is one. Needs a QApplication. Throws std::runtime_error if a run cannot start or an item
/// or a file fails.
[[nodiscard]] QCoro::Task<AppBenchResult> runAppBench(QString vigilBinary, AppBenchOptions options);

} // namespace vigil::bench
