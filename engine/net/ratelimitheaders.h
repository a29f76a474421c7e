// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httptypes.h"

#include "async/clock.h"

#include <QDateTime>

#include <optional>

namespace vigil::net {

/// @brief The limits a server announced in one response, in whichever form it used:
/// - the IETF draft's separate `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`
///   (delta seconds) and `RateLimit-Policy: 10;w=1`;
/// - its later combined `RateLimit: limit=10, remaining=5, reset=1`, or the structured
///   `RateLimit: "default";r=5;t=1` with `RateLimit-Policy: "default";q=10;w=1`;
/// - GitHub's `X-RateLimit-Limit`, `-Remaining` and `-Reset` (a Unix time; a small number is
///   taken as delta seconds, as some servers send).
///
/// With several policies or limits in one response, the strictest one counts.
struct AnnouncedLimit {
    std::optional<double> quota;                  ///< requests allowed per window
    std::optional<async::Clock::Duration> window; ///< the policy's window, when it names one
    std::optional<double> remaining;              ///< requests left in the current window
    std::optional<async::Clock::Duration> reset;  ///< until the current window resets

    [[nodiscard]] bool any() const { return quota || remaining || reset; }
};

/// The limits announced in @p headers; @p nowUtc turns a Unix-time reset into a delay.
[[nodiscard]] AnnouncedLimit parseAnnouncedLimit(const RawHeaders &headers,
                                                 const QDateTime &nowUtc);

} // namespace vigil::net
