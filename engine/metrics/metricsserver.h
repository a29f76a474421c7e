// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHostAddress>
#include <QObject>

#include <memory>

class QHttpServer;

namespace vigil::metrics {

class MetricsRegistry;

/// @brief Serves a MetricsRegistry at `/metrics` (Prometheus' text format 0.0.4) for Prometheus
/// to scrape; anything else is 404. Binds 127.0.0.1 unless told otherwise.
class MetricsServer : public QObject {
    Q_OBJECT
public:
    /// @p registry must outlive the server.
    explicit MetricsServer(const MetricsRegistry &registry, QObject *parent = nullptr);
    ~MetricsServer() override;

    /// Listens on @p address:@p port (0 picks a free port); false with errorString() when it
    /// cannot.
    bool listen(const QHostAddress &address, quint16 port);
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString errorString() const { return m_error; }
    /// The scrape URL, http://address:port/metrics.
    [[nodiscard]] QString url() const;
    /// The warning to show when @p address is not loopback (empty when it is): everything the
    /// metrics name is then readable from other machines, without a password.
    [[nodiscard]] static QString exposureWarning(const QHostAddress &address, quint16 port);

private:
    const MetricsRegistry &m_registry;
    std::unique_ptr<QHttpServer> m_http;
    QHostAddress m_address;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace vigil::metrics
