// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>

namespace vigil::fetch {

/// @brief A batch's or a download run's running counts, for `/metrics`. The runner (on its own
/// thread, for the GUI's batches) adds; the metrics server reads at scrape time. They only grow,
/// across runs, as Prometheus counters must; inFlight goes up and down.
struct TransferCounters {
    std::atomic<long long> planned{0}; ///< items handed to runs (a shard's part), skipped included
    std::atomic<long long> skipped{0}; ///< already done in a resumed journal or on disk
    std::atomic<long long> ok{0};
    std::atomic<long long> failed{0};
    std::atomic<long long> timeout{0};
    std::atomic<long long> cancelled{0};
    std::atomic<long long> inFlight{0};   ///< requests on the wire now
    std::atomic<long long> retries{0};    ///< attempts after an item's first
    std::atomic<long long> hostPauses{0}; ///< 429s (503s too, --rate auto) that paused a host
    std::atomic<long long> throttled{0};  ///< 429 and 503 answers, every attempt
    std::atomic<long long> bytes{0};      ///< response bytes received
    /// Items held back now for hosts that cannot take a request yet (paused, full, at their
    /// rate, in a breaker time-out): batches only.
    std::atomic<long long> held{0};
};

} // namespace vigil::fetch
