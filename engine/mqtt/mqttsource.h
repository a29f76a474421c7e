// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mqttclient.h"
#include "mqttspec.h"

#include "async/clock.h"
#include "async/taskscope.h"
#include "sensors/thresholds.h"

#include <QCoroTask>
#include <QHash>
#include <QObject>

#include <deque>
#include <memory>
#include <unordered_map>

namespace vigil::sensors {
class SensorHub;
struct StreamStatus;
} // namespace vigil::sensors

namespace vigil::mqtt {

/// @brief An MQTT subscription as a stream source: one connection that feeds many series of a
/// SensorHub, one per concrete topic (and field) that matches the filter.
///
/// Series appear as their topics first send; past the spec's maxSeries, new topics are counted
/// and named in one log line, never added. A payload that gives no number is a BadData reading of
/// the series it was for, with the reason, so the status table counts it. With an expected
/// interval a series that hears nothing for 3x that turns stale (SensorHub::setStale), checked on
/// the clock. GUI thread; await stop() before destruction.
class MqttSource : public QObject {
    Q_OBJECT
public:
    /// @p id is the dashboard entry's id; the series' ids extend it.
    MqttSource(QString id, MqttSpec spec, sensors::SensorHub &hub, async::Clock &clock,
               QObject *parent = nullptr);
    /// The alarm bands every new series of this source starts with.
    void setThresholds(const sensors::Thresholds &thresholds) { m_thresholds = thresholds; }
    ~MqttSource() override;

    /// Connects, and starts the staleness and rate checks.
    void start();
    /// Starts the staleness and rate checks only, for messages fed through ingest().
    void watch();
    /// Disconnects and stops the staleness checks; the series stay in the hub.
    [[nodiscard]] QCoro::Task<> stop();

    /// Handles one message as if the broker had sent it (the client's signal comes here).
    void ingest(const QString &topic, const QByteArray &payload, bool retained);

    [[nodiscard]] const QString &id() const { return m_id; }
    [[nodiscard]] const MqttSpec &spec() const { return m_spec; }
    [[nodiscard]] MqttClient &client() { return *m_client; }
    [[nodiscard]] const QStringList &seriesIds() const { return m_seriesOrder; }
    [[nodiscard]] qint64 messages() const { return m_messages; }
    [[nodiscard]] qint64 badData() const { return m_badData; }
    /// Messages to topics that came after the series cap.
    [[nodiscard]] qint64 overCap() const { return m_overCap; }
    /// Messages per second over the last few seconds.
    [[nodiscard]] double messageRate() const;
    /// The connection state, and "stale" when every series is.
    [[nodiscard]] QString stateText() const;
    /// The id of the series @p topic / @p field would have.
    [[nodiscard]] QString seriesId(const QString &topic, const QString &field) const;
    /// The receive-minus-payload delay series' id (no topic: it cannot clash with a field).
    [[nodiscard]] QString delaySeriesId() const { return seriesId({}, QStringLiteral("delay_ms")); }

    static constexpr int kStaleFactor = 3;

Q_SIGNALS:
    void seriesAdded(const QString &id);
    /// A line for the event log: the connection's ups and downs, the series cap.
    void logMessage(const QString &message);
    void stateChanged();

private:
    struct Series;
    Series *seriesFor(const QString &topic, const QString &field);
    void deliver(const QString &topic, const DecodedPayload &decoded, bool retained,
                 qint64 receivedMs);
    void deliverDelay(qint64 delayMs, qint64 receivedMs);
    QCoro::Task<> watchStaleness(std::stop_token token);
    void onClientState();

    QString m_id;
    MqttSpec m_spec;
    QString m_pattern;
    QString m_seriesPrefix; // "mqtt:host:port/filter|"
    sensors::SensorHub &m_hub;
    async::Clock &m_clock;
    std::unique_ptr<MqttClient> m_client;
    std::shared_ptr<sensors::StreamStatus> m_status;               // shared with every series
    std::unordered_map<QString, std::shared_ptr<Series>> m_series; // by series id
    QStringList m_seriesOrder;
    sensors::Thresholds m_thresholds;
    bool m_capLogged = false;
    qint64 m_messages = 0;
    qint64 m_badData = 0;
    qint64 m_overCap = 0;
    std::deque<std::pair<async::Clock::TimePoint, qint64>> m_rateMarks; // (when, m_messages)
    MqttClient::State m_lastLoggedState = MqttClient::State::Idle;
    async::TaskScope m_tasks; // the staleness check
};

} // namespace vigil::mqtt
