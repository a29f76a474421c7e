// SPDX-License-Identifier: Apache-2.0
#include "attemptphases.h"

#include "util/safefile.h"

#include <algorithm>

namespace vigil::fetch {

namespace {
/// The attempt's own waits, before its first exchange.
AttemptPhases waitsOf(const net::AttemptTiming &a, int number, async::Clock::TimePoint batchStart,
                      async::Clock::Duration queued) {
    AttemptPhases first;
    first.attempt = number;
    first.queuedMs = number == 1 ? float(async::toMs(queued)) : 0.0f;
    first.startMs = async::toMs(a.waitFrom - batchStart) - double(first.queuedMs);
    first.backoffMs = float(async::toMs(a.backoff));
    first.limitMs = std::max(0.0f, float(async::toMs(a.limit)));
    return first;
}
} // namespace

QList<AttemptPhases> phasesOnTimeline(const QList<net::AttemptTiming> &attempts,
                                      async::Clock::TimePoint batchStart,
                                      async::Clock::Duration queued, const QString &redactedUrl) {
    QList<AttemptPhases> out;
    out.reserve(attempts.size());
    int number = 0;
    for (const net::AttemptTiming &a : attempts) {
        AttemptPhases record = waitsOf(a, ++number, batchStart, queued);
        // Each hop is a record; the next one starts where it ended, with no waits of its own.
        for (const net::RedirectHop &hop : a.redirects) {
            record.exchange = hop.timing;
            record.url = util::redactedUrlText(hop.url.toString());
            record.status = hop.status;
            record.redirect = true;
            out.append(record);
            const double end = record.endMs();
            record = AttemptPhases{};
            record.attempt = number;
            record.startMs = end;
        }
        record.exchange = a.exchange;
        record.url =
            a.redirects.isEmpty() ? redactedUrl : util::redactedUrlText(a.finalUrl.toString());
        record.status = a.status;
        record.error = a.error;
        out.append(record);
    }
    return out;
}

} // namespace vigil::fetch
