// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "async/clock.h"
#include "net/attempttiming.h"

#include <QList>
#include <QString>

namespace vigil::fetch {

/// @brief One exchange of a batch item on the batch's timeline: an attempt, or a redirect hop
/// within one. It waited (in its host's line, in backoff, for its host's rate or pause), then
/// talked to the server. The waterfall draws these; the HAR export writes one entry each.
struct AttemptPhases {
    double startMs = 0; ///< from the batch's start, when its waiting began
    float queuedMs = 0; ///< in its host's line before the item's first attempt
    float backoffMs = 0;
    float limitMs = 0; ///< for the host's rate-limit token or pause (parked included)
    net::ExchangeTiming exchange;
    QString url; ///< what this exchange asked for, secrets redacted
    int status = 0;
    net::HttpErrorKind error = net::HttpErrorKind::None;
    int attempt = 1;       ///< the item's attempt it belongs to (1, 2, …)
    bool redirect = false; ///< a hop answered with a redirect; the next record goes on from it

    [[nodiscard]] float waitsMs() const { return queuedMs + backoffMs + limitMs; }
    [[nodiscard]] double sentMs() const { return startMs + double(waitsMs()); }
    [[nodiscard]] double endMs() const { return sentMs() + double(exchange.totalMs()); }
};

/// The records of one item's sends on the batch's timeline (@p batchStart is its zero). The
/// first attempt's waiting starts @p queued earlier, in its host's line; each redirect hop is a
/// record of its own, and the waits are the first hop's.
[[nodiscard]] QList<AttemptPhases> phasesOnTimeline(const QList<net::AttemptTiming> &attempts,
                                                    async::Clock::TimePoint batchStart,
                                                    async::Clock::Duration queued,
                                                    const QString &redactedUrl);

} // namespace vigil::fetch
