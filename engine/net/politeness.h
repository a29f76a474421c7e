// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "attempttiming.h"
#include "httptypes.h"

#include "async/clock.h"
#include "async/retrypolicy.h"

#include <QCoroTask>

#include <functional>
#include <stop_token>

namespace vigil::async {
class KeyedRateLimiter;
}

namespace vigil::net {

class Transport;

/// @brief What the caller decides about an attempt, when it knows more than the response does.
enum class AttemptVerdict {
    ByResponse, ///< retry when retryable(response) says so
    Retry,  ///< retry with backoff even though the response looks fine (a body that ended short)
    Finish, ///< stop here: the caller has what it needs, or cannot go on
};

/// @brief How a polite send ended.
struct PoliteResult {
    HttpResponse response;  ///< the last attempt's (error Cancelled if stopped before any send)
    int attempts = 0;       ///< attempts started, the one cut short by cancellation included
    bool cancelled = false; ///< the token stopped it: while waiting, or in a transfer
    /// Time spent waiting inside Vigil rather than on the wire: for the host's rate-limit token
    /// or pause, and between attempts (backoff, Retry-After).
    async::Clock::Duration waited{};
    int hostPauses = 0; ///< 429s with Retry-After that paused the host (for /metrics)
    int throttled = 0;  ///< answers that were a 429 or a 503 (the summary's throttled=)
    /// With PoliteHooks::parkOnPause: the send stopped to wait for its host's pause, and goes on
    /// from this result (PoliteHooks::resume) once the host opens.
    bool parked = false;
    /// Where the send stands, for its resumption: the retry budget and when it began and parked.
    struct Carry {
        int failures = 0;
        async::Clock::Duration serverWaited{};
        async::Clock::TimePoint started{};
        async::Clock::TimePoint parkedAt{};
        /// The next attempt's waiting so far: since when, and how much of it was backoff.
        async::Clock::TimePoint waitFrom{};
        async::Clock::Duration backoff{};
    } carry;
    /// Every attempt that reached the transport, in order: its waits and its exchange's phases.
    QList<AttemptTiming> timeline;
};

/// @brief The per-caller parts of sendPolitely(); all are optional.
struct PoliteHooks {
    /// Adjusts a fresh copy of the request before attempt @p attempt (1, 2, …): a download sets
    /// Range/If-Range from what is on disk now, and the handlers that write this attempt's body.
    std::function<void(HttpRequest &request, int attempt)> prepare;
    /// Judges each attempt's response before the retry decision; called after every send, a
    /// cancelled one included, so the caller can close what the attempt opened.
    std::function<AttemptVerdict(const HttpResponse &response)> judge;
    /// Return parked instead of waiting out a host pause, so that a scheduler can give the slot
    /// to another host meanwhile.
    bool parkOnPause = false;
    /// The caller already took the host's rate-limit token for the next attempt.
    bool tokenHeld = false;
    /// A parked send to go on with: its attempts, waits and retry budget carry over.
    const PoliteResult *resume = nullptr;
};

/// Sends @p request the way every Vigil client talks to a host: it takes the host's rate-limit
/// token first (key: originKey()), a 429 with Retry-After pauses the whole host for everyone who
/// shares @p limiter, and retryable answers are tried again after the policy's backoff (full
/// jitter; a server-given delay wins). A stopped @p token ends it at once, wherever it waits.
///
/// With an adaptive @p limiter (`--rate auto`), every answer feeds the host's rate, with the
/// limits the server announced in its headers; a 503 with Retry-After then pauses the host too.
[[nodiscard]] QCoro::Task<PoliteResult> sendPolitely(Transport &client,
                                                     async::KeyedRateLimiter &limiter,
                                                     HttpRequest request, async::RetryPolicy policy,
                                                     async::Clock &clock, std::stop_token token,
                                                     PoliteHooks hooks = {});

} // namespace vigil::net
