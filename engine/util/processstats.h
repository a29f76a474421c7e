// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace vigil::util {

/// User + system CPU seconds this process has used so far.
[[nodiscard]] double processCpuSeconds();
/// The peak resident set size of this process so far, in MB (10^6 bytes, as every MB in Vigil).
[[nodiscard]] double peakRssMB();
/// The resident set size of this process now, in MB (0 where /proc is missing).
[[nodiscard]] double residentMB();
/// Raises this process's soft limit on open files to its hard limit, as Go's runtime does: a
/// batch over a thousand hosts, or a demo server on a thousand addresses, needs thousands of
/// sockets, and the usual soft limit of 1024 is only a default. Returns the soft limit now.
long raiseOpenFileLimit();

} // namespace vigil::util
