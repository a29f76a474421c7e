// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httptypes.h"

#include "async/clock.h"

#include <QList>

namespace vigil::net {

/// @brief One attempt of a polite send (sendPolitely), as a timeline: what it waited for inside
/// Vigil, then its exchange with the server.
///
/// It waited from waitFrom: first the backoff after the previous attempt failed, then for its
/// host (the rate-limit token, a pause, or parked while the host was paused), until sentAt.
struct AttemptTiming {
    async::Clock::TimePoint waitFrom{};
    async::Clock::Duration backoff{};
    async::Clock::Duration limit{};
    async::Clock::TimePoint sentAt{};
    /// The last hop's exchange; a transport that cannot tell its phases counts all of it as wait.
    ExchangeTiming exchange;
    /// The redirects this attempt followed before that hop, in order.
    QList<RedirectHop> redirects;
    /// Where the last hop asked (after redirects: not the request's URL).
    QUrl finalUrl;
    int status = 0;
    HttpErrorKind error = HttpErrorKind::None;
};

} // namespace vigil::net
