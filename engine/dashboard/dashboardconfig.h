#pragma once

#include "net/httptypes.h"
#include "sensors/thresholds.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace vigil::dashboard {

/// @brief One sensor as a dashboard file describes it.
struct SensorConfig {
    QString type; ///< "simulated", "instrument", "system" or "http_json"
    QString name;
    QString unit;
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
    net::RawHeaders headers;
    int intervalMs = 500;
    int timeoutMs = 2000;
    sensors::Thresholds thresholds;

    /// The id the sensor will have, the key charts refer to.
    [[nodiscard]] QString id() const;
};

/// @brief A whole dashboard: its sensors, how they are grouped into charts, and the view.
struct DashboardConfig {
    QList<SensorConfig> sensors;
    QList<QStringList> charts; ///< sensor ids per chart, in display order
    QStringList hidden;        ///< charts' series that are not shown
    int windowS = 60;
    int retentionS = 3600; ///< how much history each sensor keeps (60 s to 1 day)
    QString mode = QStringLiteral("concurrent");

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

/// Parses a dashboard file. Never throws; the first problem found comes back in @p error.
[[nodiscard]] std::optional<DashboardConfig> parseDashboard(QByteArrayView json,
                                                            ConfigError *error);
[[nodiscard]] QByteArray serializeDashboard(const DashboardConfig &config);

} // namespace vigil::dashboard
