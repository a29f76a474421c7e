// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace vigil::bench {

/// @brief Gives a benchmark's server process one CPU and the benchmarking process the others.
///
/// A loopback benchmark measures a client against a server on the same machine. Left to itself,
/// Linux wakes each side on the CPU of the other (wake-affine) and time-shares one core between
/// them while the rest idle, so a lean single-threaded client looks slower than it is. Separate
/// cores, as load generators such as wrk and h2load are run, measure the client alone.
struct CoreSplit {
    bool applied = false;
    QString description; ///< "server:0 client:1", or why nothing was done
};

/// Pins process @p serverPid to the first allowed CPU and this process's current thread (and the
/// threads it starts later) to the rest. Does nothing on one CPU.
[[nodiscard]] CoreSplit splitCores(qint64 serverPid);

} // namespace vigil::bench
