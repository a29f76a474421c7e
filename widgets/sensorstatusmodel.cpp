#include "sensorstatusmodel.h"

#include "sensors/sensorhub.h"

#include <QBrush>
#include <QColor>

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
    connect(&hub, &sensors::SensorHub::sensorAdded, this, reset);
    connect(&hub, &sensors::SensorHub::sensorRemoved, this, reset);
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
    if (role == Qt::ForegroundRole && index.column() == State) {
        if (st.lastError != sensors::ReadingError::None)
            return QBrush(QColor(0xc6, 0x28, 0x28));
        if (st.level == sensors::AlarmLevel::Alarm)
            return QBrush(QColor(0xc6, 0x28, 0x28));
        if (st.level == sensors::AlarmLevel::Warning)
            return QBrush(QColor(0xef, 0x6c, 0x00));
        return QBrush(QColor(0x2e, 0x7d, 0x32));
    }
    if (role == Qt::ToolTipRole)
        return st.lastMessage;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Sensor:
        return sensor->name();
    case State:
        if (st.ok + st.timeouts + st.errors == 0)
            return tr("waiting");
        if (st.lastError != sensors::ReadingError::None)
            return sensors::readingErrorName(st.lastError);
        return st.level == sensors::AlarmLevel::Normal ? tr("ok")
                                                       : sensors::alarmLevelName(st.level);
    case Value:
        return st.hasValue ? QString::number(st.lastValue, 'f', 2) + u' ' + sensor->unit()
                           : QString();
    case LatencyMs:
        return QString::number(st.lastLatencyMs, 'f', 0);
    case Ok:
        return st.ok;
    case Timeouts:
        return st.timeouts;
    case Errors:
        return st.errors;
    case Skipped:
        return st.skipped;
    default:
        return {};
    }
}

QVariant SensorStatusModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"Sensor", "State",    "Value",  "Latency ms",
                                        "OK",     "Timeouts", "Errors", "Skipped"};
    return tr(names[section]);
}

} // namespace vigil::widgets
