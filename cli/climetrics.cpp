// SPDX-License-Identifier: Apache-2.0
#include "climetrics.h"

#include "clisupport.h"

#include "async/sleep.h"
#include "metrics/vigilmetrics.h"

#include <QCommandLineParser>

namespace vigil::cli {

CliMetrics::CliMetrics(bool withLinger)
    : m_port(QStringLiteral("metrics-port"),
             QStringLiteral("Serve Prometheus metrics at http://127.0.0.1:N/metrics while running "
                            "(0: a free port, printed)."),
             QStringLiteral("N"))
    , m_address(QStringLiteral("metrics-address"),
                QStringLiteral("Address for --metrics-port (default 127.0.0.1; any other is "
                               "reachable from other machines, and warned about)."),
                QStringLiteral("ADDR"), QStringLiteral("127.0.0.1"))
    , m_linger(QStringLiteral("metrics-linger"),
               QStringLiteral("With --metrics-port: keep serving for S seconds after the end, for "
                              "Prometheus' last scrape (default 0)."),
               QStringLiteral("S"), QStringLiteral("0"))
    , m_withLinger(withLinger) {}

CliMetrics::~CliMetrics() = default;

void CliMetrics::addTo(QCommandLineParser &parser) const {
    parser.addOptions({m_port, m_address});
    if (m_withLinger)
        parser.addOption(m_linger);
}

std::optional<int> CliMetrics::start(const QCommandLineParser &parser, const char *command) {
    if (!parser.isSet(m_port)) {
        if (parser.isSet(m_address) || (m_withLinger && parser.isSet(m_linger)))
            return usageError(command, QStringLiteral("--metrics-address and --metrics-linger "
                                                      "need --metrics-port"));
        return std::nullopt;
    }
    bool lingerOk = false;
    m_lingerS = m_withLinger ? parser.value(m_linger).toInt(&lingerOk) : 0;
    lingerOk = lingerOk || !m_withLinger;
    if (!lingerOk || m_lingerS < 0 || m_lingerS > 86400)
        return usageError(command, QStringLiteral("--metrics-linger must be whole seconds, 0 to "
                                                  "86400"));
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

QCoro::Task<int> CliMetrics::lingerAfter(QCoro::Task<int> run) {
    const int code = co_await run;
    auto lingering = linger();
    co_await lingering;
    co_return code;
}

QCoro::Task<> CliMetrics::linger() {
    // After a Ctrl+C in the run the user wants out; one during the wait ends only the wait.
    if (!m_server || m_lingerS <= 0 || wasInterrupted())
        co_return;
    acceptInterruptAsEnd();
    err() << "keeping " << m_server->url() << " up for " << m_lingerS
          << " s for a last scrape (Ctrl+C ends it)" << Qt::endl;
    try {
        co_await async::sleepFor(async::Clock::system(), std::chrono::seconds(m_lingerS),
                                 m_lingerStop.get_token());
    } catch (const async::Cancelled &) {
        // Ctrl+C: the run's own code still stands
    }
}

} // namespace vigil::cli
