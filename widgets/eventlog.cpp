// SPDX-License-Identifier: Apache-2.0
#include "eventlog.h"

#include "alarmcolors.h"

#include "dashboard/monitoringsession.h"
#include "sensors/sensorhub.h"

#include <QDateTime>

#include <climits>

namespace vigil::widgets {

namespace {
const QColor kRed = alarmcolors::text(sensors::AlarmLevel::Alarm);
const QColor kGreen = alarmcolors::text(sensors::AlarmLevel::Normal);
} // namespace

EventLog::EventLog(dashboard::MonitoringSession &session, QWidget *parent)
    : QListWidget(parent)
    , m_session(session) {
    setWordWrap(true);
    auto &hub = session.hub();
    connect(&hub, &sensors::SensorHub::alarmRaised, this, &EventLog::onAlarm);
    connect(&hub, &sensors::SensorHub::readingAdded, this, &EventLog::onReading);
    connect(&hub, &sensors::SensorHub::sensorRemoved, this,
            [this](const QString &id) { m_down.remove(id); });
    connect(&session, &dashboard::MonitoringSession::logMessage, this,
            [this](const QString &m) { addLine(m); });
}

void EventLog::addLine(const QString &text, const QColor &color, qint64 timeMs) {
    const QDateTime when = timeMs < 0 ? m_session.clock().wallNow().toLocalTime()
                                      : QDateTime::fromMSecsSinceEpoch(timeMs);
    auto *item = new QListWidgetItem(when.toString(QStringLiteral("HH:mm:ss")) +
                                     QStringLiteral("  ") + text);
    item->setToolTip(when.toString(Qt::ISODateWithMs));
    if (color.isValid())
        item->setForeground(color);
    insertItem(0, item);
    while (count() > kMaxLines)
        delete takeItem(count() - 1);
}

void EventLog::onAlarm(const sensors::AlarmEvent &e) {
    const QColor colour = alarmcolors::text(e.to);
    const auto &hub = m_session.hub();
    const QString unit = hub.contains(e.sensorId) ? hub.sensor(e.sensorId)->unit() : QString();
    addLine(tr("%1 → %2 (%3 %4)")
                .arg(e.sensorName, sensors::alarmLevelName(e.to))
                .arg(e.value, 0, 'f', 2)
                .arg(unit),
            colour, e.timeMs);
}

void EventLog::onReading(const QString &id, const sensors::Reading &reading) {
    const auto &hub = m_session.hub();
    if (!hub.contains(id))
        return;
    const QString name = hub.sensor(id)->name();
    const auto down = m_down.find(id);
    if (reading.ok()) {
        if (down == m_down.end())
            return;
        addLine(tr("%1 recovered after %n failed read(s) over %2 s", nullptr,
                   int(std::min<qint64>(down->failedReads, INT_MAX)))
                    .arg(name)
                    .arg(double(reading.timeMs - down->sinceMs) / 1000, 0, 'f', 1),
                kGreen, reading.timeMs);
        m_down.erase(down);
        return;
    }
    if (down != m_down.end()) {
        ++down->failedReads;
        if (reading.error == down->error)
            return;
        down->error = reading.error; // e.g. refused, then a 404 page: a new reason is news
        addLine(tr("%1 still down: %2 (%3)")
                    .arg(name, sensors::readingErrorName(reading.error), reading.message),
                kRed, reading.timeMs);
        return;
    }
    m_down.insert(id, {reading.timeMs, 1, reading.error});
    addLine(
        tr("%1 down: %2 (%3)").arg(name, sensors::readingErrorName(reading.error), reading.message),
        kRed, reading.timeMs);
}

} // namespace vigil::widgets
