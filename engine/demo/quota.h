// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "exchange.h"

#include <QDateTime>
#include <QString>

#include <deque>
#include <map>

namespace vigil::demo {

/// @brief How a quota endpoint tells its limits: not at all, or in one of the forms servers use.
enum class QuotaAnnounce {
    None,
    Draft,    ///< RateLimit-Limit, -Remaining, -Reset and RateLimit-Policy (`announce=1`)
    Combined, ///< RateLimit: limit=…, remaining=…, reset=… and RateLimit-Policy
    GitHub,   ///< X-RateLimit-Limit, -Remaining, -Used and -Reset as a Unix time
};

/// @brief What a quota decided about one request.
struct QuotaDecision {
    bool allowed = false;
    int limit = 0;
    int windowS = 1;   ///< the window the limit is over, in seconds
    int remaining = 0; ///< requests left in the window after this one
    /// Until the oldest request leaves the window (one more may then come), in ms.
    qint64 resetMs = 0;
};

/// @brief Each client's quota of requests over a sliding window (a second by default): a request
/// is refused when the client already made that many in the window. Refused requests do not
/// count, so a client that waits as told always gets in. Pure: time comes in.
class ClientQuota {
public:
    [[nodiscard]] QuotaDecision admit(const QString &client, int limit, qint64 nowMs,
                                      int windowS = 1);
    void clear() { m_clients.clear(); }

private:
    std::map<QString, std::deque<qint64>> m_clients;
};

/// `announce=1`, `announce=combined`, `announce=github`; anything else announces nothing.
[[nodiscard]] QuotaAnnounce quotaAnnounceFrom(const QString &text);

/// The headers that announce @p d in @p style (whole seconds, rounded up, as the drafts say),
/// with Retry-After on a refusal. @p nowUtc dates GitHub's Unix-time reset.
[[nodiscard]] HeaderPairs quotaHeaders(const QuotaDecision &d, QuotaAnnounce style,
                                       const QDateTime &nowUtc);

} // namespace vigil::demo
