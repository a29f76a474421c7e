// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>

namespace vigil::fetch {

/// @brief A per-host circuit breaker: a host whose items fail `failures` times in a row (a
/// timeout, a network error or a 5xx, after every retry) is put in a time-out of its own while
/// the batch goes on with the other hosts; after it one item probes the host, and a failed probe
/// doubles the time-out. After `maxTrips` time-outs in a row the host's remaining items fail
/// without being sent.
struct BreakerPolicy {
    int failures = 0; ///< 0: no breaker
    std::chrono::milliseconds timeout{10000};
    int maxTrips = 3;
    bool operator==(const BreakerPolicy &) const = default;
};

} // namespace vigil::fetch
