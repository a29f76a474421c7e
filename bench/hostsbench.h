// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

namespace vigil::bench {

/// @brief `vigil bench fetch --hosts N` settings: a batch fanned out over N demo hosts
/// (`serve-demo --hosts N`, 127.0.1.1 …), each allowed @c rate requests/s and @c perHost at once,
/// while every @c downEvery-th host answers 429 for @c downS seconds in the middle of the run.
struct HostsBenchOptions {
    QString vigilBinary;
    int hosts = 1000;
    int items = 100000;
    int concurrency = 500;
    int perHost = 2;
    double rate = 5;
    int downEvery = 10;
    double downS = 10;
    int latencyMs = 0;
};

/// @brief What the run showed.
struct HostsBenchResult {
    HostsBenchOptions options;
    int ok = 0;
    int failed = 0;
    double wallS = 0;
    double idealS = 0;    ///< the busiest host's items at its rate, plus the outage
    double downFromS = 0; ///< the outage, in seconds after the first request
    double downToS = 0;
    qint64 acceptedInOutage = 0; ///< answered 200 from a second into the outage to its end
    double openAllowedRps = 0;   ///< what the open hosts allow together
    qint64 refused = 0;          ///< 429s the server gave
    qint64 early = 0;            ///< requests to a host that had said "come back later" yet
    int throttled = 0;
    double cpuS = 0;
    double rssStartMb = 0; ///< resident memory once the batch was underway (1 s in)
    double rssEndMb = 0;   ///< … and at its end
    double peakRssMb = 0;

    [[nodiscard]] double outageRps() const;
    /// outageRps() / openAllowedRps: the target is at least 0.9.
    [[nodiscard]] double outageRatio() const;
    /// `bench-fetch-hosts hosts=… items=… c=… per_host=… rate=… ok=… wall_s=… ideal_s=…
    /// efficiency=… down=A-B outage_rps=… open_allowed_rps=… outage_ratio=… refused=… early=…
    /// cpu_us_per_req=… rss_start_mb=… rss_end_mb=… peak_rss_mb=… met=…`
    [[nodiscard]] QString summaryLine() const;
};

/// Starts `serve-demo --hosts N` in another process and runs the batch through the real
/// BatchRunner and HTTP client. Throws std::runtime_error when the server does not start.
[[nodiscard]] QCoro::Task<HostsBenchResult> runHostsBench(HostsBenchOptions options);

} // namespace vigil::bench
