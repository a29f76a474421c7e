// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "history.h"
#include "poller.h"
#include "thresholds.h"

#include <QObject>

#include <map>
#include <memory>

namespace vigil::sensors {

/// @brief The running numbers for one sensor, as its status row shows them.
struct SensorStats {
    qint64 ok = 0;
    qint64 timeouts = 0;
    qint64 errors = 0;
    qint64 skipped = 0;
    double lastLatencyMs = 0;
    double lastValue = 0;
    bool hasValue = false;
    ReadingError lastError = ReadingError::None;
    QString lastMessage;
    bool stale = false; ///< a stream series past 3x its expected interval without a message
    AlarmLevel level = AlarmLevel::Normal;
};

/// @brief A threshold crossing, for the alarm log.
struct AlarmEvent {
    qint64 timeMs;
    QString sensorId;
    QString sensorName;
    AlarmLevel from;
    AlarmLevel to;
    double value;
};

/// @brief Every monitored sensor with its history, statistics and alarm state, fed by a Poller.
///
/// The hub keeps recording whatever the views do (pausing a chart never pauses the hub). GUI
/// thread; await stop() before destroying it.
class SensorHub : public QObject {
    Q_OBJECT
public:
    explicit SensorHub(async::Clock &clock, QObject *parent = nullptr);

    void add(std::shared_ptr<Sensor> sensor, const Thresholds &thresholds = {});
    /// Adds a series that a stream source feeds through ingest(); the poller never reads it.
    void addStream(std::shared_ptr<Sensor> series, const Thresholds &thresholds = {});
    /// A reading pushed by a stream source, handled as a polled one is.
    void ingest(const QString &id, const Reading &reading) { onReading(id, reading); }
    /// Marks a stream series stale (no message for 3x its expected interval) or fresh again.
    void setStale(const QString &id, bool stale);
    [[nodiscard]] QCoro::Task<> remove(QString id);
    [[nodiscard]] QStringList ids() const;
    [[nodiscard]] bool contains(const QString &id) const { return m_entries.count(id) > 0; }
    [[nodiscard]] std::shared_ptr<Sensor> sensor(const QString &id) const;
    [[nodiscard]] const History &history(const QString &id) const;
    /// Write access, for loading past readings (and for the plot benchmark's pre-filled hour).
    [[nodiscard]] History &mutableHistory(const QString &id);
    [[nodiscard]] const SensorStats &stats(const QString &id) const;
    [[nodiscard]] const Thresholds &thresholds(const QString &id) const;
    void setThresholds(const QString &id, const Thresholds &thresholds);
    void setRetention(std::chrono::milliseconds retention);

    [[nodiscard]] Poller &poller() { return m_poller; }
    void start() { m_poller.start(); }
    [[nodiscard]] QCoro::Task<> stop() { return m_poller.stop(); }

Q_SIGNALS:
    void sensorAdded(const QString &id);
    void sensorRemoved(const QString &id);
    void readingAdded(const QString &id, const vigil::sensors::Reading &reading);
    void alarmRaised(const vigil::sensors::AlarmEvent &event);
    void staleChanged(const QString &id, bool stale);

private:
    struct Entry {
        std::shared_ptr<Sensor> sensor;
        History history;
        SensorStats stats;
        Thresholds thresholds;
        AlarmState alarm;
    };
    void onReading(const QString &id, const Reading &reading);

    async::Clock &m_clock;
    Poller m_poller;
    std::map<QString, std::unique_ptr<Entry>> m_entries;
    QStringList m_order;
    std::chrono::milliseconds m_retention{std::chrono::hours(1)};
};

} // namespace vigil::sensors

Q_DECLARE_METATYPE(vigil::sensors::AlarmEvent)
