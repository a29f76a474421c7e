// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

namespace vigil::bench {

/// @brief What `vigil bench download` measures: Vigil and curl on the same files, same run.
struct DownloadBenchResult {
    int files = 0;
    qint64 bytes = 0;
    double wallS = 0;
    double peakRssMb = 0;
    double curlWallS = 0;  ///< 0 when curl is not installed
    bool verified = false; ///< Vigil also checked every SHA-256 (curl never does)
    /// Megabytes (10^6 bytes) per second, as the download summary's mb_per_s.
    [[nodiscard]] double mbPerS() const { return wallS > 0 ? double(bytes) / 1e6 / wallS : 0; }
    [[nodiscard]] double curlMbPerS() const {
        return curlWallS > 0 ? double(bytes) / 1e6 / curlWallS : 0;
    }
    /// `bench-download files=… bytes=… wall_s=… mb_per_s=… peak_rss_mb=… curl_mb_per_s=… ratio=…
    /// verified=…`
    [[nodiscard]] QString summaryLine() const;
};

/// Serves `files` × `size` bytes from `vigil serve-demo` in another process, downloads them with
/// the real Downloader (4 at a time; with @p verify, SHA-256 checked too), then with
/// `curl --parallel --parallel-max 4`, into a temporary folder. Throws std::runtime_error if a
/// download fails.
[[nodiscard]] QCoro::Task<DownloadBenchResult> runDownloadBench(QString vigilBinary, int files,
                                                                qint64 size, bool verify);

} // namespace vigil::bench
