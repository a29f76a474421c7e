// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QTimer>

namespace vigil::sensors {
class SensorHub;
struct Reading;
struct SensorStats;
} // namespace vigil::sensors

namespace vigil::widgets {

/// @brief The per-sensor status table: state, last value and latency, and the counts of good,
/// timed-out, failed and skipped reads. Refreshes four times a second. A value whose later reads
/// failed is shown as stale, with its age, never as if it were live. A stream series (MQTT) shows
/// its source's connection state while it is not connected, "stale" when it went silent, and
/// its source's messages per second.
class SensorStatusModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Sensor,
        State,
        Value,
        LatencyMs,
        Ok,
        Timeouts,
        Errors,
        Skipped,
        MessagesPerS, ///< a stream series: its source's messages per second
        ColumnCount
    };

    explicit SensorStatusModel(sensors::SensorHub &hub, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    /// The id of the sensor in @p row, empty when there is none (or it was just removed).
    [[nodiscard]] QString idAt(int row) const;

private:
    /// When a sensor last read a value, and when it last read at all (ms since the epoch).
    struct Times {
        qint64 goodMs = -1;
        qint64 readMs = -1;
    };
    void refresh();
    void onReading(const QString &id, const sensors::Reading &reading);
    [[nodiscard]] QVariant stateCell(const QString &id, const sensors::SensorStats &st) const;
    [[nodiscard]] QVariant valueCell(const QString &id, const sensors::SensorStats &st,
                                     int role) const;

    sensors::SensorHub &m_hub;
    QStringList m_ids;
    QHash<QString, Times> m_times;
    QTimer m_refresh;
};

} // namespace vigil::widgets
