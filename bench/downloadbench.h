// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

namespace vigil::bench {

/// @brief What `vigil bench download` runs.
struct DownloadBenchOptions {
    int files = 4;
    qint64 size = 256LL * 1024 * 1024;
    bool verify = false; ///< Vigil also checks every SHA-256 while downloading
    int runs = 3;        ///< each client's best of this many, the clients taking turns
    bool nginx = false;  ///< a private nginx instead of `vigil serve-demo`
};

/// @brief What `vigil bench download` measures: Vigil and curl on the same files, same run.
struct DownloadBenchResult {
    QString server; ///< "demo" or "nginx"
    QString out;    ///< "tmpfs" when both clients wrote to a tmpfs, else "disk"
    int files = 0;
    int runs = 0;
    qint64 bytes = 0;
    double wallS = 0;      ///< Vigil's best run
    double worstWallS = 0; ///< Vigil's worst run
    double peakRssMb = 0;
    double curlWallS = 0; ///< curl's best run; 0 when curl is not installed
    double curlWorstWallS = 0;
    bool verified = false; ///< Vigil also checked every SHA-256 (curl never does)
    /// Megabytes (10^6 bytes) per second, as the download summary's mb_per_s.
    [[nodiscard]] double mbPerS() const { return wallS > 0 ? double(bytes) / 1e6 / wallS : 0; }
    [[nodiscard]] double curlMbPerS() const {
        return curlWallS > 0 ? double(bytes) / 1e6 / curlWallS : 0;
    }
    /// `bench-download server=… out=… files=… bytes=… runs=… wall_s=… worst_wall_s=… mb_per_s=…
    /// peak_rss_mb=… curl_wall_s=… curl_worst_wall_s=… curl_mb_per_s=… ratio=… verified=…`
    [[nodiscard]] QString summaryLine() const;
};

/// Serves `files` × `size` bytes from `vigil serve-demo` in another process (or a private nginx),
/// then downloads them in turns with the real Downloader (4 at a time; SHA-256 checked too with
/// verify) and with `curl --parallel --parallel-max 4`, both into a tmpfs when there is one
/// (/dev/shm, else the temporary folder; checked with statfs), each output deleted before the
/// next run. The best run of each counts. Throws std::runtime_error if a download fails.
[[nodiscard]] QCoro::Task<DownloadBenchResult> runDownloadBench(QString vigilBinary,
                                                                DownloadBenchOptions options);

/// The folder both clients write to: /dev/shm or the temporary folder when it is a tmpfs (so no
/// run writes into a page cache full of the previous run's dirty pages), else the temporary
/// folder. Sets @p tmpfs to say which.
[[nodiscard]] QString benchOutputParent(bool *tmpfs);

} // namespace vigil::bench
