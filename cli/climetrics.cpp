// SPDX-License-Identifier: Apache-2.0
#include "climetrics.h"

#include "clisupport.h"

#include "metrics/vigilmetrics.h"

#include <QCommandLineParser>

namespace vigil::cli {

CliMetrics::CliMetrics()
    : m_port(QStringLiteral("metrics-port"),
             QStringLiteral("Serve Prometheus metrics at http://127.0.0.1:N/metrics while running "
                            "(0: a free port, printed)."),
             QStringLiteral("N"))
    , m_address(QStringLiteral("metrics-address"),
                QStringLiteral("Address for --metrics-port (default 127.0.0.1; any other is "
                               "reachable from other machines, and warned about)."),
                QStringLiteral("ADDR"), QStringLiteral("127.0.0.1")) {}

CliMetrics::~CliMetrics() = default;

void CliMetrics::addTo(QCommandLineParser &parser) const {
    parser.addOptions({m_port, m_address});
}

std::optional<int> CliMetrics::start(const QCommandLineParser &parser, const char *command) {
    if (!parser.isSet(m_port)) {
        if (parser.isSet(m_address))
            return usageError(command, QStringLiteral("--metrics-address needs --metrics-port"));
        return std::nullopt;
    }
    bool ok = false;
    const uint port = parser.value(m_port).toUInt(&ok);
    if (!ok || port > 65535)
        return usageError(command, QStringLiteral("--metrics-port must be a port number, 0 to "
                                                  "65535 (0 picks a free one)"));
    const QHostAddress address(parser.value(m_address));
    if (address.isNull())
        return usageError(command, QStringLiteral("--metrics-address must be an IP address, got "
                                                  "'%1'")
                                       .arg(parser.value(m_address)));
    m_server = std::make_unique<metrics::MetricsServer>(m_registry);
    if (!m_server->listen(address, quint16(port))) {
        err() << "vigil " << command << ": " << m_server->errorString() << Qt::endl;
        m_server.reset();
        return kExitFailed;
    }
    if (const QString warning = metrics::MetricsServer::exposureWarning(address, m_server->port());
        !warning.isEmpty())
        err() << "vigil " << command << ": warning: " << warning << Qt::endl;
    err() << "serving metrics at " << m_server->url() << Qt::endl;
    metrics::addLoopLagMetrics(m_registry, &m_owner);
    return std::nullopt;
}

} // namespace vigil::cli
