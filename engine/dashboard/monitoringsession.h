// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dashboardconfig.h"

#include "async/asyncsemaphore.h"
#include "async/clock.h"
#include "async/taskscope.h"

#include <QCoroTask>
#include <QHash>
#include <QObject>

#include <functional>
#include <map>
#include <memory>

namespace vigil::net {
class HttpClient;
}
namespace vigil::sensors {
class Sensor;
class SensorHub;
} // namespace vigil::sensors

namespace vigil::io {
class Recorder;
}
namespace vigil::modbus {
class DevicePool;
}
namespace vigil::lines {
class LinesSource;
}
namespace vigil::mqtt {
class AlarmPublisher;
class MqttSource;
struct Discovery;
} // namespace vigil::mqtt

namespace vigil::prometheus {
class PrometheusSource;
struct PromResult;
} // namespace vigil::prometheus

namespace vigil::dashboard {

/// @brief The operator's live session: the sensors of a dashboard, polled into a SensorHub, with
/// optional recording. Owns the HTTP client its sensors use.
///
/// apply() swaps dashboards: the old sensors are stopped and closed (instruments disconnect)
/// before the new ones start. Dashboard changes (apply, removeSensor) run one at a time, in the
/// order they were asked for, so the last apply() wins whole. shutdown() is the app-quit path and
/// must be awaited before the session goes; after it began, nothing restarts polling.
class MonitoringSession : public QObject {
    Q_OBJECT
public:
    explicit MonitoringSession(async::Clock &clock, QObject *parent = nullptr);
    /// Asserts that shutdown() ran (or that nothing was ever polled).
    ~MonitoringSession() override;

    /// Waits for the changes asked for before it, then swaps dashboards. Does nothing once
    /// shutdown() began.
    [[nodiscard]] QCoro::Task<> apply(DashboardConfig config);
    /// apply() as a background task the session owns: for callers that do not wait for it.
    void applyInBackground(DashboardConfig config);
    /// Waits for the change in progress, drops the queued background ones, stops recording and
    /// polling, and closes every sensor (instruments disconnect). Idempotent.
    [[nodiscard]] QCoro::Task<> shutdown();

    /// Adds a sensor to the running dashboard, in a chart of its own. False when it is already
    /// there, when this machine lacks it, when the dashboard already holds kMaxSensors (the log
    /// says so), or once shutdown() began.
    bool addSensor(const SensorConfig &config);
    /// Stops polling @p id, closes it and drops it from the charts, after the changes before it.
    [[nodiscard]] QCoro::Task<> removeSensor(QString id);
    /// removeSensor() as a background task the session owns.
    void removeSensorInBackground(QString id);

    /// The dashboard as it stands, ready to save: sensors, thresholds, charts, view settings.
    [[nodiscard]] DashboardConfig current() const;
    [[nodiscard]] const DashboardConfig &layout() const { return m_config; }
    /// Sensor @p id's colour, "#rrggbb": from the file, else picked when it was added; it stays
    /// while the sensor does, whatever is hidden or removed around it.
    [[nodiscard]] QString colorOf(const QString &id) const { return m_colors.value(id); }
    void setCharts(const QList<QStringList> &charts);
    void setHidden(const QStringList &hidden);
    /// New alarm bands for @p id, effective from its next reading; the charts redraw them.
    void setThresholds(const QString &id, const sensors::Thresholds &thresholds);
    void setWindowSeconds(int seconds);
    void setSequential(bool sequential);

    [[nodiscard]] sensors::SensorHub &hub() { return *m_hub; }
    /// Subscribes to @p spec's filter for @p duration and calls @p done with the topics seen
    /// (mqtt::discoverTopics), as a task the session owns: shutdown() ends it early.
    void discoverTopicsInBackground(mqtt::MqttSpec spec, std::chrono::milliseconds duration,
                                    std::function<void(const mqtt::Discovery &)> done);
    /// The stream sources (MQTT subscriptions) of the dashboard, by their entry's id.
    [[nodiscard]] QList<mqtt::MqttSource *> streams() const;
    /// The serial, TCP and UDP line sources of the dashboard.
    [[nodiscard]] QList<lines::LinesSource *> lineSources() const;
    /// Writes @p line to line source @p sourceId (a command for the instrument); false with
    /// why in @p error.
    bool writeLine(const QString &sourceId, const QByteArray &line, QString *error);
    /// The Prometheus query sources of the dashboard.
    [[nodiscard]] QList<prometheus::PrometheusSource *> promSources() const;
    /// Fills every Prometheus series' history over the last @p windowMs, drawn @p widthPx wide
    /// (a chart opened, or its window changed); historyReplaced() follows each source's answer.
    void backfillHistory(qint64 windowMs, int widthPx);
    /// Runs @p config's query once (the Prometheus dialog's "Test query"), as a task the session
    /// owns: shutdown() ends it early, and @p done is then not called.
    void queryPrometheusInBackground(SensorConfig config,
                                     std::function<void(const prometheus::PromResult &)> done);
    /// Reads @p spec's registers once on the session's connection to that device (the Modbus
    /// dialog's "Test read"), as a task the session owns; @p done gets the words as read, or
    /// why not. shutdown() ends it early, and @p done is then not called.
    void readRegistersInBackground(modbus::RegisterSpec spec, std::chrono::milliseconds timeout,
                                   std::function<void(QList<quint16>, QString)> done);
    /// The most series of one stream source that get a chart; the others are in the status
    /// table, the recording and the exports.
    static constexpr int kChartedPerSource = 8;
    [[nodiscard]] io::Recorder &recorder() { return *m_recorder; }
    [[nodiscard]] async::Clock &clock() { return m_clock; }
    [[nodiscard]] bool isShutDown() const { return m_shutDown; }
    [[nodiscard]] bool isClosing() const { return m_closing; }

Q_SIGNALS:
    void layoutChanged();
    /// A line for the event log: instrument lifecycle, skipped sensors, recorder state.
    void logMessage(const QString &message);
    /// A backfill replaced series' histories: the charts should draw again.
    void historyReplaced();

private:
    QCoro::Task<> serializedApply(DashboardConfig config, std::stop_token token);
    QCoro::Task<> serializedRemove(QString id, std::stop_token token);
    bool addToHub(const SensorConfig &config);
    bool addStream(const SensorConfig &config);
    /// A Modbus register sensor on the session's shared device connections.
    [[nodiscard]] std::shared_ptr<sensors::Sensor> makeRegisterSensor(const SensorConfig &config);
    void chartStreamSeries(const QString &sourceId, const QString &seriesId);
    bool addPromSource(const SensorConfig &config);
    void chartPromSeries(const QString &sourceId, const QString &seriesId);
    /// Charts @p seriesId with the first of @p siblings already charted (up to
    /// kChartedPerSource), else in a chart of its own.
    void chartWithSiblings(const QStringList &siblings, const QString &seriesId);
    bool addLinesSource(const SensorConfig &config);
    /// Stops line source @p id (every one when empty) and drops its series from the hub.
    QCoro::Task<> closeLineSources(QString id);
    /// Stops Prometheus source @p id (every one when empty) and drops its series from the hub.
    QCoro::Task<> closePromSources(QString id);
    /// Stops stream source @p id (every one when empty) and drops its series from the hub.
    QCoro::Task<> closeStreams(QString id);
    /// Publishes alarms to @p broker under @p topic (a dashboard's alarms_mqtt), after stopping
    /// the old publisher; an empty broker publishes nowhere.
    QCoro::Task<> applyAlarmsOut(QString broker, QString topic);
    [[nodiscard]] qsizetype sourceCount() const;
    /// layoutChanged() once the event loop turns: topics that appear in a burst (retained values,
    /// a first batch) cost one dashboard rebuild, not one each.
    void layoutChangedSoon();

    async::Clock &m_clock;
    std::unique_ptr<net::HttpClient> m_client;
    // The Modbus connections its register sensors share; declared before the hub, which holds
    // those sensors, so that it goes after them.
    std::unique_ptr<modbus::DevicePool> m_modbus;
    std::unique_ptr<sensors::SensorHub> m_hub;
    std::unique_ptr<io::Recorder> m_recorder;
    DashboardConfig m_config;
    QHash<QString, SensorConfig> m_sources; // HTTP sensors as configured, by id
    QHash<QString, QString> m_colors;       // by id
    // MQTT subscriptions, by their entry's id; their series are in the hub
    std::map<QString, std::unique_ptr<mqtt::MqttSource>> m_streams;
    QHash<QString, SensorConfig> m_streamConfigs;      // as configured, with their ${ENV} names
    std::unique_ptr<mqtt::AlarmPublisher> m_alarmsOut; // the dashboard's alarms_mqtt
    std::map<QString, std::unique_ptr<prometheus::PrometheusSource>> m_promSources;
    QHash<QString, SensorConfig> m_promConfigs; // as configured: variables' names, no secrets
    std::map<QString, std::unique_ptr<lines::LinesSource>> m_lineSources; // by entry id
    QHash<QString, SensorConfig> m_lineConfigs;
    int m_plotWidthPx = 800; // the last width backfillHistory() was given
    // One dashboard change at a time, in the order they were asked for (the semaphore is FIFO);
    // a change cancelled while it waits gives up its place.
    async::AsyncSemaphore m_changes{1};
    async::TaskScope m_tasks;     // the background changes
    bool m_closing = false;       // shutdown() began: nothing may start polling again
    bool m_layoutPending = false; // layoutChangedSoon() has an emission queued
    bool m_shutDown = false;
};

} // namespace vigil::dashboard
