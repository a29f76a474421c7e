// SPDX-License-Identifier: Apache-2.0
#include "sensorstatusmodel.h"

#include "alarmcolors.h"

#include "dashboard/axisticks.h"

#include "sensors/sensorhub.h"
#include "sensors/streamseries.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>

namespace vigil::widgets {

SensorStatusModel::SensorStatusModel(sensors::SensorHub &hub, QObject *parent)
    : QAbstractTableModel(parent)
    , m_hub(hub)
    , m_ids(hub.ids()) {
    m_refresh.setInterval(250);
    connect(&m_refresh, &QTimer::timeout, this, &SensorStatusModel::refresh);
    m_refresh.start();
    const auto reset = [this] {
        beginResetModel();
        m_ids = m_hub.ids();
        endResetModel();
    };
    // The hub appends: an insert, not a reset, so a thousand new topics cost a thousand rows.
    connect(&hub, &sensors::SensorHub::sensorAdded, this, [this, reset](const QString &id) {
        if (m_hub.ids().size() != m_ids.size() + 1 || m_hub.ids().constLast() != id)
            return reset();
        beginInsertRows({}, int(m_ids.size()), int(m_ids.size()));
        m_ids << id;
        endInsertRows();
    });
    connect(&hub, &sensors::SensorHub::sensorRemoved, this, [this, reset](const QString &id) {
        const qsizetype row = m_ids.indexOf(id);
        if (row < 0 || m_hub.ids().size() != m_ids.size() - 1)
            return reset();
        beginRemoveRows({}, int(row), int(row)); // a closed source's thousand series: no resets
        m_ids.removeAt(row);
        endRemoveRows();
    });
    connect(&hub, &sensors::SensorHub::sensorRemoved, this,
            [this](const QString &id) { m_times.remove(id); });
    connect(&hub, &sensors::SensorHub::readingAdded, this, &SensorStatusModel::onReading);
}

void SensorStatusModel::onReading(const QString &id, const sensors::Reading &reading) {
    Times &t = m_times[id];
    t.readMs = reading.timeMs;
    if (reading.ok())
        t.goodMs = reading.timeMs;
}

QVariant SensorStatusModel::valueCell(const QString &id, const sensors::SensorStats &st,
                                      int role) const {
    if (!st.hasValue)
        return {};
    const Times t = m_times.value(id);
    // The last read failed: the value shown is the one before, and it says so.
    const bool stale = st.lastError != sensors::ReadingError::None && t.goodMs >= 0;
    const QString value = dashboard::formatReading(st.lastValue) + u' ' + m_hub.sensor(id)->unit();
    switch (role) {
    case Qt::DisplayRole:
        if (stale)
            return tr("%1 · stale %2 s").arg(value).arg((t.readMs - t.goodMs) / 1000.0, 0, 'f', 0);
        // A retained MQTT value is old news from the broker: it says how old.
        return st.lastMessage.startsWith(QLatin1String("retained"))
                   ? value + QStringLiteral(" · ") + st.lastMessage
                   : value;
    case Qt::ForegroundRole:
        return stale ? QVariant(QBrush(QColor(0x75, 0x75, 0x75))) : QVariant();
    case Qt::FontRole: {
        if (!stale)
            return {};
        QFont italic;
        italic.setItalic(true);
        return italic;
    }
    case Qt::ToolTipRole:
        return stale ? tr("Last value read at %1; the reads since failed: %2")
                           .arg(QDateTime::fromMSecsSinceEpoch(t.goodMs).toString(
                                    QStringLiteral("HH:mm:ss")),
                                st.lastMessage)
                     : QVariant();
    default:
        return {};
    }
}

void SensorStatusModel::refresh() {
    if (!m_ids.isEmpty())
        Q_EMIT dataChanged(index(0, State), index(int(m_ids.size()) - 1, ColumnCount - 1));
}

int SensorStatusModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_ids.size());
}

int SensorStatusModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SensorStatusModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= m_ids.size() || !m_hub.contains(m_ids[index.row()]))
        return {};
    const QString &id = m_ids[index.row()];
    const auto &st = m_hub.stats(id);
    const auto sensor = m_hub.sensor(id);
    if (index.column() == Value && role != Qt::DisplayRole)
        return valueCell(id, st, role);
    const auto *stream = sensor->kind() == sensors::SensorKind::Stream
                             ? static_cast<const sensors::StreamSeries *>(sensor.get())
                             : nullptr;
    const bool down = stream && !stream->status().connected;
    if (role == Qt::ForegroundRole && index.column() == State) {
        if (st.stale && !down)
            return QBrush(alarmcolors::text(sensors::AlarmLevel::Warning));
        return QBrush(alarmcolors::text(st.lastError != sensors::ReadingError::None || down
                                            ? sensors::AlarmLevel::Alarm
                                            : st.level));
    }
    if (role == Qt::ToolTipRole && index.column() == State && down)
        return stream->status().state;
    if (role == Qt::ToolTipRole)
        return st.lastMessage;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Sensor:
        return sensor->name();
    case State:
        return down ? stream->status().state : stateCell(id, st);
    case Value:
        return valueCell(id, st, role);
    case LatencyMs:
        return QString::number(st.lastLatencyMs, 'f', 0);
    case Ok:
        return st.ok;
    case Timeouts:
        return st.timeouts;
    case Errors:
        return st.errors;
    case Skipped:
        return stream ? QVariant() : QVariant(st.skipped); // nobody polls a stream
    case MessagesPerS:
        return stream ? QVariant(QString::number(stream->status().messagesPerSecond, 'f', 1))
                      : QVariant();
    default:
        return {};
    }
}

QVariant SensorStatusModel::stateCell(const QString &, const sensors::SensorStats &st) const {
    if (st.ok + st.timeouts + st.errors == 0)
        return tr("waiting");
    if (st.stale)
        return tr("stale");
    if (st.lastError != sensors::ReadingError::None)
        return sensors::readingErrorName(st.lastError);
    return st.level == sensors::AlarmLevel::Normal ? tr("ok") : sensors::alarmLevelName(st.level);
}

QString SensorStatusModel::idAt(int row) const {
    return row >= 0 && row < m_ids.size() && m_hub.contains(m_ids[row]) ? m_ids[row] : QString();
}

QVariant SensorStatusModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"Sensor",   "State",  "Value",   "Latency ms", "OK",
                                        "Timeouts", "Errors", "Skipped", "Msg/s"};
    return tr(names[section]);
}

} // namespace vigil::widgets
