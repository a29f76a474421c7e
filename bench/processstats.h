#pragma once

namespace vigil::bench {

/// User + system CPU seconds this process has used so far.
[[nodiscard]] double processCpuSeconds();
/// The peak resident set size of this process so far, in MiB.
[[nodiscard]] double peakRssMiB();

} // namespace vigil::bench
