// SPDX-License-Identifier: Apache-2.0
#include "sensorhub.h"

namespace vigil::sensors {

SensorHub::SensorHub(async::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_poller(clock) {
    connect(&m_poller, &Poller::reading, this, &SensorHub::onReading);
    connect(&m_poller, &Poller::slotSkipped, this, [this](const QString &id) {
        if (const auto it = m_entries.find(id); it != m_entries.end())
            ++it->second->stats.skipped;
    });
}

void SensorHub::add(std::shared_ptr<Sensor> sensor, const Thresholds &thresholds) {
    const QString id = sensor->id();
    if (contains(id))
        return;
    auto entry = std::make_unique<Entry>();
    entry->sensor = sensor;
    entry->thresholds = thresholds;
    entry->history.setRetention(m_retention);
    m_entries.emplace(id, std::move(entry));
    m_order << id;
    m_poller.addSensor(std::move(sensor));
    Q_EMIT sensorAdded(id);
}

void SensorHub::addStream(std::shared_ptr<Sensor> series, const Thresholds &thresholds) {
    const QString id = series->id();
    if (contains(id))
        return;
    auto entry = std::make_unique<Entry>();
    entry->sensor = std::move(series);
    entry->thresholds = thresholds;
    entry->history.setRetention(m_retention);
    m_entries.emplace(id, std::move(entry));
    m_order << id;
    Q_EMIT sensorAdded(id);
}

void SensorHub::setStale(const QString &id, bool stale) {
    const auto it = m_entries.find(id);
    if (it == m_entries.end() || it->second->stats.stale == stale)
        return;
    it->second->stats.stale = stale;
    Q_EMIT staleChanged(id, stale);
}

QCoro::Task<> SensorHub::remove(QString id) {
    if (!contains(id))
        co_return;
    co_await m_poller.removeSensor(id);
    m_entries.erase(id);
    m_order.removeAll(id);
    Q_EMIT sensorRemoved(id);
}

QStringList SensorHub::ids() const {
    return m_order;
}

std::shared_ptr<Sensor> SensorHub::sensor(const QString &id) const {
    return m_entries.at(id)->sensor;
}

const History &SensorHub::history(const QString &id) const {
    return m_entries.at(id)->history;
}

History &SensorHub::mutableHistory(const QString &id) {
    return m_entries.at(id)->history;
}

const SensorStats &SensorHub::stats(const QString &id) const {
    return m_entries.at(id)->stats;
}

const Thresholds &SensorHub::thresholds(const QString &id) const {
    return m_entries.at(id)->thresholds;
}

void SensorHub::setThresholds(const QString &id, const Thresholds &thresholds) {
    if (const auto it = m_entries.find(id); it != m_entries.end())
        it->second->thresholds = thresholds;
}

void SensorHub::setRetention(std::chrono::milliseconds retention) {
    m_retention = retention;
    for (auto &[id, entry] : m_entries)
        entry->history.setRetention(retention);
}

void SensorHub::onReading(const QString &id, const Reading &reading) {
    const auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    Entry &e = *it->second;
    if (e.stats.stale) {
        e.stats.stale = false; // a message came: the series is fresh again
        Q_EMIT staleChanged(id, false);
    }
    e.stats.lastLatencyMs = reading.latencyMs;
    e.stats.lastError = reading.error;
    e.stats.lastMessage = reading.message;
    if (reading.ok()) {
        ++e.stats.ok;
        e.stats.lastValue = reading.value;
        e.stats.hasValue = true;
        e.history.append(reading.timeMs, reading.value);
        const AlarmLevel level = e.alarm.update(e.thresholds, reading.value, reading.timeMs);
        if (level != e.stats.level) {
            const AlarmEvent event{reading.timeMs, id,    e.sensor->name(),
                                   e.stats.level,  level, reading.value};
            e.stats.level = level;
            Q_EMIT alarmRaised(event);
        }
    } else {
        (reading.error == ReadingError::Timeout ? e.stats.timeouts : e.stats.errors)++;
        e.history.appendGap(reading.timeMs); // a failed read shows as a gap, never as a value
    }
    Q_EMIT readingAdded(id, reading);
}

} // namespace vigil::sensors
