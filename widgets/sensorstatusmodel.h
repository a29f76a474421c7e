#pragma once

#include <QAbstractTableModel>
#include <QTimer>

namespace vigil::sensors {
class SensorHub;
}

namespace vigil::widgets {

/// @brief The per-sensor status table: state, last value and latency, and the counts of good,
/// timed-out, failed and skipped reads. Refreshes four times a second.
class SensorStatusModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Sensor, State, Value, LatencyMs, Ok, Timeouts, Errors, Skipped, ColumnCount };

    explicit SensorStatusModel(sensors::SensorHub &hub, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void refresh();

    sensors::SensorHub &m_hub;
    QStringList m_ids;
    QTimer m_refresh;
};

} // namespace vigil::widgets
