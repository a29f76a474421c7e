// SPDX-License-Identifier: Apache-2.0
#include "metricsserver.h"

#include "metricsregistry.h"

#include "demo/requestguard.h"
#include "util/logging.h"

#include <QHttpServer>
#include <QHttpServerResponse>

namespace vigil::metrics {

MetricsServer::MetricsServer(const MetricsRegistry &registry, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_http(std::make_unique<QHttpServer>()) {
    m_http->route(QStringLiteral("/metrics"), [this](const QHttpServerRequest &) {
        return QHttpServerResponse(QByteArray(kContentType), m_registry.render());
    });
    m_http->route(QStringLiteral("/"), [] {
        return QHttpServerResponse(
            QByteArrayLiteral("text/html; charset=utf-8"),
            QByteArrayLiteral(
                "<html><body><a href=\"/metrics\">Vigil metrics</a></body></html>\n"));
    });
}

MetricsServer::~MetricsServer() = default;

bool MetricsServer::listen(const QHostAddress &address, quint16 port) {
    // The request limits of the demo servers: a scrape is a bare GET, anything bigger is refused.
    auto server = std::make_unique<demo::GuardedTcpServer>();
    if (!server->listen(address, port)) {
        m_error = QStringLiteral("cannot listen on %1:%2 for /metrics: %3")
                      .arg(address.toString())
                      .arg(port)
                      .arg(server->errorString());
        return false;
    }
    m_address = address;
    m_port = server->serverPort();
    m_http->bind(server.release()); // the HTTP server owns it
    qCInfo(lcMetrics, "serving /metrics at %s", qPrintable(url()));
    return true;
}

QString MetricsServer::url() const {
    const QString host = m_address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(m_address.toString())
                             : m_address.toString();
    return QStringLiteral("http://%1:%2/metrics").arg(host).arg(m_port);
}

QString MetricsServer::exposureWarning(const QHostAddress &address, quint16 port) {
    if (address.isLoopback())
        return {};
    return QStringLiteral("/metrics on %1:%2 can be read from other machines, without a password: "
                          "it shows every sensor's name and value")
        .arg(address.toString())
        .arg(port);
}

} // namespace vigil::metrics
