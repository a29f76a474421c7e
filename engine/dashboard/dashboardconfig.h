// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lines/linespec.h"
#include "modbus/modbusspec.h"
#include "mqtt/mqttspec.h"
#include "net/httptypes.h"
#include "prometheus/promspec.h"
#include "sensors/thresholds.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace vigil::dashboard {

/// @brief One sensor as a dashboard file describes it.
struct SensorConfig {
    /// "simulated", "instrument", "system", "http_json", "mqtt", "prometheus", "modbus" or
    /// "lines"
    QString type;
    QString name;
    QString unit;
    QString color; ///< "#rrggbb", kept while the sensor stays; empty: the dashboard picks one
    // simulated
    double setpoint = 0;
    double sigma = 1;
    int latencyMs = 100;
    int latencyMaxMs = 100;
    quint32 seed = 1;
    // system: the id discovery gives it, e.g. "system:cpu"
    QString systemId;
    // http_json
    QUrl url;
    QString pointer;
    net::RawHeaders headers; ///< values may take secrets from ${ENV_NAME}
    /// Headers whose whole value comes from an environment variable: name, variable.
    QList<QPair<QByteArray, QString>> headersEnv;
    QByteArrayList secretHeaders; ///< header names the user marked secret
    // mqtt: a stream source; its series appear as their topics send
    mqtt::MqttSpec mqtt;
    // prometheus: a stream source; one series per series of the query's result
    prometheus::PromSpec prometheus;
    // modbus: one register (or coil) of a device, polled
    modbus::RegisterSpec modbus;
    // lines: a stream source; a series per field of the lines a port or socket sends
    lines::LineSpec lines;
    int intervalMs = 500;
    int timeoutMs = 2000;
    sensors::Thresholds thresholds;

    /// The id the sensor will have, the key charts refer to. It never holds a secret: an HTTP
    /// sensor's id names its URL without password or key-like query parameters.
    [[nodiscard]] QString id() const;
    /// MQTT, Prometheus and lines: sources whose series appear as they come, not one polled
    /// sensor.
    [[nodiscard]] bool isStream() const {
        return type == QLatin1String("mqtt") || type == QLatin1String("prometheus") ||
               type == QLatin1String("lines");
    }
};

/// @brief A whole dashboard: its sensors, how they are grouped into charts, and the view.
struct DashboardConfig {
    QList<SensorConfig> sensors;
    QList<QStringList> charts; ///< sensor ids per chart, in display order
    QStringList hidden;        ///< charts' series that are not shown
    int windowS = 60;
    int retentionS = 3600; ///< how much history each sensor keeps (60 s to 1 day)
    QString mode = QStringLiteral("concurrent");
    /// Where threshold crossings are published ("alarms_mqtt"): empty broker, nowhere.
    QString alarmsBroker;
    QString alarmsTopic = QStringLiteral("vigil/alarms");

    /// The four process sensors, one chart each, with threshold bands: what a new user sees.
    [[nodiscard]] static DashboardConfig defaults();
};

} // namespace vigil::dashboard

namespace vigil::sensors {
struct SimulatedSpec;
}

namespace vigil::dashboard {

/// The config of a simulated sensor with @p spec (the unreliable one gets its 0.5 s timeout).
[[nodiscard]] SensorConfig simulatedSensorConfig(const sensors::SimulatedSpec &spec);

/// @brief Why a dashboard file was refused: where in the JSON, and what is wrong there.
struct ConfigError {
    QString path; ///< e.g. "sensors[2].interval_ms"
    QString message;
    [[nodiscard]] QString text() const {
        return path.isEmpty() ? message : path + QStringLiteral(": ") + message;
    }
};

/// The largest dashboard file read; a bigger one is refused before it is parsed.
inline constexpr qint64 kMaxDashboardBytes = 1024 * 1024;

/// The most sensors a dashboard holds, in a file or in a running session.
inline constexpr qsizetype kMaxSensors = 64;

/// Parses a dashboard file. Never throws; the first problem found comes back in @p error. Keys
/// the file does not use (a typo such as "intervall") do not stop it; each is named in
/// @p warnings, with a suggestion when one is close.
[[nodiscard]] std::optional<DashboardConfig> parseDashboard(QByteArrayView json, ConfigError *error,
                                                            QList<ConfigError> *warnings = nullptr);
/// The dashboard as JSON, without secrets: a literal secret header value, URL password or
/// key-like query parameter is left out (see persistableSensor()) and named in @p dropped;
/// ${ENV} references and headers_env are written as they are.
[[nodiscard]] QByteArray serializeDashboard(const DashboardConfig &config,
                                            QStringList *dropped = nullptr);

} // namespace vigil::dashboard
