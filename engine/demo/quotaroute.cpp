// SPDX-License-Identifier: Apache-2.0
#include "demoparams.h"
#include "demoserver.h"
#include "exchange.h"

#include <QHttpServer>

namespace vigil::demo {

void DemoServer::addQuotaRoute() {
    // /quota/{id}?rps=R&window=S&ms=L&announce=A: R requests per S seconds (default 1) per client
    // address over a sliding window, 429 with Retry-After beyond it (refusals do not count). With
    // announce=1 (or combined, or github) every answer says the limit, what is left and when a slot
    // frees, so a polite client never needs a 429 to learn it. Served after L ms (default 0).
    m_http->route(
        QStringLiteral("/quota/<arg>"),
        [this](const QString &id, const QHttpServerRequest &req, QHttpServerResponder &&r) {
            auto *ex = begin(req, std::move(r));
            const QUrlQuery q(req.url());
            const int rps = params::intParam(q, "rps", 5, 1, 100000);
            const QuotaDecision d =
                m_quota.admit(req.remoteAddress().toString(), rps, m_uptime.elapsed(),
                              params::intParam(q, "window", 1, 1, 3600));
            const HeaderPairs headers =
                quotaHeaders(d, quotaAnnounceFrom(q.queryItemValue(QStringLiteral("announce"))),
                             QDateTime::currentDateTimeUtc());
            if (!d.allowed)
                return ex->respondJson(429, params::errorJson(QStringLiteral("quota exceeded")),
                                       headers);
            const int ms = params::intParam(q, "ms", 0, 0, 600000);
            auto answer = [ex, id = params::decoded(id), headers] {
                ex->respondJson(200, params::toJson({{QStringLiteral("id"), id}}), headers);
            };
            m_delays.callAfter(std::chrono::milliseconds(ms), ex, answer);
        });
}

} // namespace vigil::demo
