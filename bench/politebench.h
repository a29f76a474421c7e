// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

namespace vigil::bench {

/// @brief `vigil bench polite` settings: batches against the demo's /quota endpoint, which allows
/// @c limit requests/s per client and answers 429 beyond.
struct PoliteBenchOptions {
    int limit = 10;
    int items = 500;
    int concurrency = 20;
    QString vigilBinary; ///< runs `serve-demo` as the server
};

/// @brief One batch's view of the server's limit.
struct PolitePhase {
    int items = 0;
    qint64 requests = 0; ///< attempts, all items
    int throttled = 0;   ///< answered 429 or 503
    int ok = 0;
    double wallS = 0;
    double settledRps = 0; ///< items ok per second after the first 10 s (0 when it ended sooner)

    [[nodiscard]] double throttledShare() const {
        return requests > 0 ? double(throttled) / double(requests) : 0;
    }
};

/// @brief The three batches: no rate (what a user who does not know the limit gets), `--rate
/// auto` against an unannounced limit, and `--rate auto` against one announced in RateLimit
/// headers.
struct PoliteBenchResult {
    int limit = 0;
    int concurrency = 0;
    PolitePhase naive;
    PolitePhase learned;
    PolitePhase announced;
    /// `bench-polite limit_rps=… concurrency=… naive_requests=… naive_throttled_pct=…
    /// auto_items=… auto_requests=… auto_throttled_pct=… auto_settled_rps=… settled_ratio=…
    /// announced_throttled=… announced_settled_rps=… met=…` (met: auto ≤ 3% throttled and
    /// settled ≥ 0.9 × the limit, announced without a 429)
    [[nodiscard]] QString summaryLine() const;
};

/// Runs the three batches against `serve-demo` in another process, one after another, with a
/// pause between them so that each starts with the server's window empty. Throws
/// std::runtime_error when the server does not start.
[[nodiscard]] QCoro::Task<PoliteBenchResult> runPoliteBench(PoliteBenchOptions options);

} // namespace vigil::bench
