#pragma once

#include "dashboardconfig.h"

#include "async/clock.h"

#include <QCoroTask>
#include <QObject>

#include <memory>

namespace vigil::net {
class HttpClient;
}
namespace vigil::sensors {
class SensorHub;
}

namespace vigil::io {
class Recorder;
}

namespace vigil::dashboard {

/// @brief The operator's live session: the sensors of a dashboard, polled into a SensorHub, with
/// optional recording. Owns the HTTP client its sensors use.
///
/// apply() swaps dashboards: the old sensors are stopped and closed (instruments disconnect)
/// before the new ones start. shutdown() is the app-quit path and must be awaited.
class MonitoringSession : public QObject {
    Q_OBJECT
public:
    explicit MonitoringSession(async::Clock &clock, QObject *parent = nullptr);
    ~MonitoringSession() override;

    [[nodiscard]] QCoro::Task<> apply(DashboardConfig config);
    [[nodiscard]] QCoro::Task<> shutdown();

    /// Adds a sensor to the running dashboard, in a chart of its own. False when it is already
    /// there, or when this machine lacks it.
    bool addSensor(const SensorConfig &config);
    [[nodiscard]] QCoro::Task<> removeSensor(QString id);

    /// The dashboard as it stands, ready to save: sensors, thresholds, charts, view settings.
    [[nodiscard]] DashboardConfig current() const;
    [[nodiscard]] const DashboardConfig &layout() const { return m_config; }
    void setCharts(const QList<QStringList> &charts);
    void setHidden(const QStringList &hidden);
    void setWindowSeconds(int seconds);
    void setSequential(bool sequential);

    [[nodiscard]] sensors::SensorHub &hub() { return *m_hub; }
    [[nodiscard]] io::Recorder &recorder() { return *m_recorder; }
    [[nodiscard]] async::Clock &clock() { return m_clock; }
    [[nodiscard]] bool isShutDown() const { return m_shutDown; }

Q_SIGNALS:
    void layoutChanged();
    /// A line for the event log: instrument lifecycle, skipped sensors, recorder state.
    void logMessage(const QString &message);

private:
    async::Clock &m_clock;
    std::unique_ptr<net::HttpClient> m_client;
    std::unique_ptr<sensors::SensorHub> m_hub;
    std::unique_ptr<io::Recorder> m_recorder;
    DashboardConfig m_config;
    bool m_shutDown = false;
};

} // namespace vigil::dashboard
