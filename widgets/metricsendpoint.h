// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metrics/metricsregistry.h"

#include <QHostAddress>
#include <QObject>

class QDialog;
class QStatusBar;
class QWidget;

#include <memory>

namespace vigil::metrics {
class MetricsServer;
}
namespace vigil::async {
class LoopLagProbe;
}
namespace vigil::sensors {
class SensorHub;
}
namespace vigil::fetch {
struct TransferCounters;
}

namespace vigil::widgets {

/// @brief Where the GUI serves /metrics: off, or a port on an address (127.0.0.1 unless the user
/// says otherwise). Kept in the settings file; `--metrics-port` overrides it for one session.
struct MetricsSettings {
    bool enabled = false;
    quint16 port = 9464; ///< the port Prometheus' exporter list gives "generic" exporters
    QString address = QStringLiteral("127.0.0.1");

    [[nodiscard]] static MetricsSettings load();
    void save() const;
    bool operator==(const MetricsSettings &) const = default;
};

/// @brief The GUI's Prometheus endpoint: the dashboard's sensors, the Batch Fetch tab's and the
/// Downloads tab's counters, and the event loop's lag, at /metrics while enabled.
class MetricsEndpoint : public QObject {
    Q_OBJECT
public:
    /// What /metrics shows; all must outlive the endpoint.
    struct Sources {
        sensors::SensorHub &hub;
        std::shared_ptr<const fetch::TransferCounters> batch;
        std::shared_ptr<const fetch::TransferCounters> downloads;
        async::LoopLagProbe *lagProbe = nullptr; ///< the status bar's; none: one of its own
    };
    explicit MetricsEndpoint(Sources sources, QObject *parent = nullptr);
    ~MetricsEndpoint() override;

    /// Serves as @p settings say (stops when disabled); false with @p error when it cannot
    /// listen, and then what served before goes on serving.
    bool apply(const MetricsSettings &settings, QString *error);
    [[nodiscard]] bool isServing() const { return m_server != nullptr; }
    [[nodiscard]] QString url() const;
    [[nodiscard]] const MetricsSettings &settings() const { return m_settings; }

Q_SIGNALS:
    /// Started, stopped or moved: @p text is what the status bar shows (empty when off).
    void stateChanged(const QString &text);

private:
    [[nodiscard]] QString stateText() const;
    void collectOnce();

    Sources m_sources;
    bool m_collecting = false;
    metrics::MetricsRegistry m_registry;
    std::unique_ptr<metrics::MetricsServer> m_server;
    MetricsSettings m_settings;
};

/// Adds the status bar's "/metrics on …" label, then serves as the saved settings say; when the
/// port is taken, the status bar says so.
void startMetricsFromSettings(MetricsEndpoint &endpoint, QStatusBar &bar);

/// File → Prometheus metrics…: on/off, port and address, with the warning a non-loopback
/// address needs; applies on OK and saves what applied. Opened window-modal, deleted on close.
QDialog *editMetricsSettings(MetricsEndpoint &endpoint, QWidget *parent);

} // namespace vigil::widgets
