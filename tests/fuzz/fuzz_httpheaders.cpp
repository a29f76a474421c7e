// SPDX-License-Identifier: Apache-2.0
// Header values come from servers: Retry-After, HTTP dates, Range and Content-Range, and the
// rate limits they announce.
#include "fuzzinput.h"

#include "async/retryafter.h"
#include "net/byterange.h"
#include "net/ratelimitheaders.h"

#include <cmath>

#include <QDateTime>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const auto text = vigil::fuzz::bytes(data, size);
    const QDateTime now(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    if (const auto delay = vigil::async::parseRetryAfter(text, now); delay && delay->count() < 0)
        __builtin_trap(); // never a negative wait
    (void)vigil::async::parseHttpDate(text);
    for (const qint64 total : {qint64(1), qint64(100), qint64(1) << 40}) {
        if (const auto r = vigil::net::parseRangeHeader(text, total);
            r && (r->first < 0 || r->last >= total || r->first > r->last))
            __builtin_trap(); // a range is always inside the resource
    }
    if (const auto c = vigil::net::parseContentRange(text); c && c->range.first > c->range.last)
        __builtin_trap();
    vigil::net::RawHeaders announced;
    for (const char *name : {"RateLimit", "RateLimit-Policy", "RateLimit-Limit",
                             "RateLimit-Remaining", "RateLimit-Reset", "X-RateLimit-Reset"})
        announced.append({QByteArray(name), text.toByteArray()});
    const auto a = vigil::net::parseAnnouncedLimit(announced, now);
    const auto bad = [](std::optional<double> v) { return v && (!std::isfinite(*v) || *v < 0); };
    if (bad(a.quota) || bad(a.remaining) || (a.window && a.window->count() <= 0) ||
        (a.reset && (a.reset->count() < 0 || *a.reset > std::chrono::hours(24))))
        __builtin_trap(); // limits are finite, waits bounded and never negative
    return 0;
}
