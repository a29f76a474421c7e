// SPDX-License-Identifier: Apache-2.0
#include "cpuburn.h"

#include <cmath>

namespace vigil::compute {

double burnCpu(std::chrono::milliseconds duration) {
    const auto until = std::chrono::steady_clock::now() + duration;
    double acc = 0.0;
    std::uint64_t i = 0;
    // Check the clock every few thousand iterations; reading it is not free.
    while (true) {
        for (int k = 0; k < 4096; ++k, ++i)
            acc += std::sin(double(i) * 1e-3) * std::cos(double(i) * 7e-4);
        if (std::chrono::steady_clock::now() >= until)
            return acc;
    }
}

} // namespace vigil::compute
