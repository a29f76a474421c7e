// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>

namespace vigil::compute {

/// Keeps one core busy for @p duration with real floating-point work, for the block-vs-offload
/// demos and benchmarks. Returns the work's result so the optimiser cannot drop it.
double burnCpu(std::chrono::milliseconds duration);

} // namespace vigil::compute
