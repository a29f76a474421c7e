// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace vigil::util {

/// User + system CPU seconds this process has used so far.
[[nodiscard]] double processCpuSeconds();
/// The peak resident set size of this process so far, in MB (10^6 bytes, as every MB in Vigil).
[[nodiscard]] double peakRssMB();
/// The resident set size of this process now, in MB (0 where /proc is missing).
[[nodiscard]] double residentMB();

} // namespace vigil::util
