// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "clock.h"

#include <optional>

namespace vigil::async {

/// @brief Exponential backoff with full jitter, bounded by attempts and by total elapsed time.
struct RetryPolicy {
    int maxAttempts = 3; ///< attempts in all, the first one included; 1 means no retry
    Clock::Duration baseDelay = std::chrono::milliseconds(200);
    Clock::Duration maxDelay = std::chrono::seconds(10);
    Clock::Duration maxElapsed = std::chrono::seconds(60);
    /// The most time one request spends, all waits together, in waits the server asked for (a
    /// 429 or 503 with Retry-After). Such waits do not use up maxAttempts: they are bounded by
    /// this instead. A host that asks for more fails the request with a message saying so,
    /// instead of holding it for as long as it likes.
    Clock::Duration maxServerWait = std::chrono::minutes(5);

    /// The wait before the next attempt after @p failedAttempts failures, or nullopt to give up.
    /// @p unit is a uniform random number in [0, 1) (full jitter). A server-given delay wins over
    /// the backoff: it is waited in full, or, if it does not fit in maxElapsed, the policy gives
    /// up.
    [[nodiscard]] std::optional<Clock::Duration>
    delayAfter(int failedAttempts, Clock::Duration elapsed,
               std::optional<Clock::Duration> serverDelay, double unit) const;

    /// The backoff cap for the attempt: min(maxDelay, baseDelay * 2^(failedAttempts-1)).
    [[nodiscard]] Clock::Duration backoffCap(int failedAttempts) const;
};

} // namespace vigil::async
