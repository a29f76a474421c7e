// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dashboard/dashboardconfig.h"
#include "mqtt/topicdiscovery.h"
#include "prometheus/promapi.h"

#include <QMenu>
#include <QUrl>

#include <functional>

namespace vigil::async {
class Clock;
}

namespace vigil::widgets {

/// @brief The dashboard's "Add…" menu: the unreliable and instrument simulations, this machine's
/// sensors (discovered when the menu opens), the demo API's sensors over HTTP, and any HTTP JSON
/// endpoint through a small form.
class AddSensorMenu : public QMenu {
    Q_OBJECT
public:
    using AddFn = std::function<void(const dashboard::SensorConfig &)>;
    AddSensorMenu(async::Clock &clock, AddFn add, QWidget *parent = nullptr);

    /// How the MQTT dialog discovers topics (MonitoringSession::discoverTopicsInBackground).
    void
    setDiscover(std::function<void(mqtt::MqttSpec, std::function<void(const mqtt::Discovery &)>)>
                    discover) {
        m_discover = std::move(discover);
    }
    /// How the Prometheus dialog tests a query (MonitoringSession::queryPrometheusInBackground).
    void setPromQuery(std::function<void(dashboard::SensorConfig,
                                         std::function<void(const prometheus::PromResult &)>)>
                          query) {
        m_promQuery = std::move(query);
    }
    /// How the Modbus dialog reads a register once (MonitoringSession::readRegistersInBackground).
    void setModbusRead(
        std::function<void(modbus::RegisterSpec, std::function<void(QList<quint16>, QString)>)>
            read) {
        m_modbusRead = std::move(read);
    }
    /// Where the built-in demo API is (it starts on first use).
    void setDemoUrlProvider(std::function<QUrl()> demoUrl) { m_demoUrl = std::move(demoUrl); }

    /// The config the HTTP JSON form would produce, or a message naming the bad field.
    [[nodiscard]] static std::optional<dashboard::SensorConfig>
    httpSensorConfig(const QString &name, const QString &unit, const QString &url,
                     const QString &pointer, int intervalMs, int timeoutMs, QString *problem);

private:
    void fillMachineMenu(QMenu *menu);
    void askForHttpSensor();
    void askForMqttSource();
    void askForPromSource();
    void askForModbusRegister();

    async::Clock &m_clock;
    AddFn m_add;
    std::function<QUrl()> m_demoUrl;
    std::function<void(mqtt::MqttSpec, std::function<void(const mqtt::Discovery &)>)> m_discover;
    std::function<void(dashboard::SensorConfig,
                       std::function<void(const prometheus::PromResult &)>)>
        m_promQuery;
    std::function<void(modbus::RegisterSpec, std::function<void(QList<quint16>, QString)>)>
        m_modbusRead;
};

} // namespace vigil::widgets
