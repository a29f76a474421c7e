// SPDX-License-Identifier: Apache-2.0
#include "quota.h"

#include <algorithm>

namespace vigil::demo {

namespace {
QByteArray wholeSeconds(qint64 ms) {
    return QByteArray::number(std::max<qint64>(1, (ms + 999) / 1000));
}
} // namespace

QuotaDecision ClientQuota::admit(const QString &client, int limit, qint64 nowMs, int windowS) {
    const qint64 windowMs = qint64(windowS) * 1000;
    auto &times = m_clients[client];
    while (!times.empty() && nowMs - times.front() >= windowMs)
        times.pop_front();
    QuotaDecision d;
    d.limit = limit;
    d.windowS = windowS;
    d.allowed = int(times.size()) < limit;
    if (d.allowed)
        times.push_back(nowMs);
    d.remaining = std::max(0, limit - int(times.size()));
    d.resetMs = times.empty() ? windowMs : times.front() + windowMs - nowMs;
    return d;
}

QuotaAnnounce quotaAnnounceFrom(const QString &text) {
    if (text == QLatin1String("1") || text == QLatin1String("draft"))
        return QuotaAnnounce::Draft;
    if (text == QLatin1String("combined"))
        return QuotaAnnounce::Combined;
    if (text == QLatin1String("github"))
        return QuotaAnnounce::GitHub;
    return QuotaAnnounce::None;
}

HeaderPairs quotaHeaders(const QuotaDecision &d, QuotaAnnounce style, const QDateTime &nowUtc) {
    HeaderPairs h;
    const QByteArray reset = wholeSeconds(d.resetMs);
    if (!d.allowed)
        h.emplace_back("Retry-After", reset);
    const QByteArray limit = QByteArray::number(d.limit);
    const QByteArray remaining = QByteArray::number(d.remaining);
    const QByteArray policy = limit + ";w=" + QByteArray::number(d.windowS);
    switch (style) {
    case QuotaAnnounce::None:
        break;
    case QuotaAnnounce::Draft:
        h.emplace_back("RateLimit-Limit", limit);
        h.emplace_back("RateLimit-Remaining", remaining);
        h.emplace_back("RateLimit-Reset", reset);
        h.emplace_back("RateLimit-Policy", policy);
        break;
    case QuotaAnnounce::Combined:
        h.emplace_back("RateLimit",
                       "limit=" + limit + ", remaining=" + remaining + ", reset=" + reset);
        h.emplace_back("RateLimit-Policy", policy);
        break;
    case QuotaAnnounce::GitHub:
        h.emplace_back("X-RateLimit-Limit", limit);
        h.emplace_back("X-RateLimit-Remaining", remaining);
        h.emplace_back("X-RateLimit-Used", QByteArray::number(d.limit - d.remaining));
        h.emplace_back("X-RateLimit-Reset",
                       QByteArray::number(nowUtc.toSecsSinceEpoch() + reset.toLongLong()));
        break;
    }
    return h;
}

} // namespace vigil::demo
