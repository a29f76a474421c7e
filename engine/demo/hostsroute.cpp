// SPDX-License-Identifier: Apache-2.0
// `serve-demo --hosts N`: one demo server on many loopback addresses, and its /hosts route.
#include "demoparams.h"
#include "demoserver.h"
#include "exchange.h"
#include "requestguard.h"

#include <QHttpServer>

namespace vigil::demo {

bool DemoServer::listenOnHosts(int hosts) {
    for (int n = m_hostCount + 1; n <= hosts; ++n) {
        auto server = std::make_unique<GuardedTcpServer>();
        const QString address = demoHostAddress(n);
        if (!server->listen(QHostAddress(address), m_port)) {
            m_error = QStringLiteral("cannot listen on %1:%2: %3")
                          .arg(address)
                          .arg(m_port)
                          .arg(server->errorString());
            return false;
        }
        m_http->bind(server.release());
        m_hostCount = n;
    }
    return true;
}

void DemoServer::addHostsRoute() {
    // /hosts/{id}?down=FROM-TO&every=K&ms=L: for `serve-demo --hosts N`, where the same server
    // listens on 127.0.1.1, 127.0.1.2, …: the host a request was sent to (its Host header) is down
    // (429 with Retry-After until the end) from FROM to TO seconds after the first request here
    // when its number is a multiple of K (default 10). Served after L ms (default 0).
    m_http->route(QStringLiteral("/hosts/<arg>"), [this](const QString &id,
                                                         const QHttpServerRequest &req,
                                                         QHttpServerResponder &&r) {
        auto *ex = begin(req, std::move(r));
        const QUrlQuery q(req.url());
        const auto plan = parseOutagePlan(q.queryItemValue(QStringLiteral("down")),
                                          q.queryItemValue(QStringLiteral("every")));
        if (!plan)
            return ex->respondJson(
                400, params::errorJson(QStringLiteral("down=FROM-TO (seconds), every=K")));
        m_outagePlan = *plan;
        const QString hostHeader = QString::fromLatin1(req.value("Host"));
        const int host = demoHostNumber(hostHeader.section(u':', 0, 0));
        const OutageDecision d = m_outages.admit(host, *plan, m_uptime.elapsed());
        if (!d.allowed)
            return ex->respondJson(429, params::errorJson(QStringLiteral("host is down")),
                                   {{"Retry-After", QByteArray::number(d.retryAfterS)}});
        const int ms = params::intParam(q, "ms", 0, 0, 600000);
        auto answer = [ex, id = params::decoded(id), host] {
            ex->respondJson(
                200, params::toJson({{QStringLiteral("id"), id}, {QStringLiteral("host"), host}}));
        };
        m_delays.callAfter(std::chrono::milliseconds(ms), ex, answer);
    });
}

} // namespace vigil::demo
