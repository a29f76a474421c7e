// SPDX-License-Identifier: Apache-2.0
#include "retrypolicy.h"

#include <algorithm>
#include <cmath>

namespace vigil::async {

Clock::Duration RetryPolicy::backoffCap(int failedAttempts) const {
    // Doubling past 2^30 overflows long before it matters; the cap has long since won by then.
    const int exponent = std::clamp(failedAttempts - 1, 0, 30);
    const double scaled = double(baseDelay.count()) * std::ldexp(1.0, exponent);
    return Clock::Duration(Clock::Duration::rep(std::min(scaled, double(maxDelay.count()))));
}

std::optional<Clock::Duration> RetryPolicy::delayAfter(int failedAttempts, Clock::Duration elapsed,
                                                       std::optional<Clock::Duration> serverDelay,
                                                       double unit) const {
    if (failedAttempts >= maxAttempts)
        return std::nullopt;
    Clock::Duration delay;
    if (serverDelay) {
        delay = *serverDelay;
    } else {
        const double u = std::clamp(unit, 0.0, 1.0);
        delay =
            Clock::Duration(Clock::Duration::rep(double(backoffCap(failedAttempts).count()) * u));
    }
    if (elapsed + delay > maxElapsed)
        return std::nullopt;
    return delay;
}

} // namespace vigil::async
