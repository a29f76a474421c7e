// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fetch/itemresult.h"

#include <QAbstractTableModel>
#include <QTimer>

namespace vigil::widgets {

/// @brief The batch results table: one row per finished item, in completion order.
///
/// Results arrive up to thousands per second, so they are buffered and inserted once per UI tick
/// in a single beginInsertRows. Numeric columns hold numbers, so sorting is numeric.
class ResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Rank, Item, Status, Http, LatencyMs, QueuedMs, Attempts, Bytes, FirstField };
    static constexpr int kStatusRole = Qt::UserRole + 1;

    explicit ResultsModel(QObject *parent = nullptr);

    /// Sets the extracted-field columns (between Bytes and Error) and clears the rows.
    void reset(const QStringList &fieldNames);
    void add(const fetch::ItemResult &result);
    /// Inserts buffered results now, rather than at the next tick.
    void flush();

    [[nodiscard]] const QList<fetch::ItemResult> &results() const { return m_rows; }
    [[nodiscard]] QStringList fieldNames() const { return m_fields; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    [[nodiscard]] int errorColumn() const { return FirstField + int(m_fields.size()); }

    QStringList m_fields;
    QList<fetch::ItemResult> m_rows;
    QList<fetch::ItemResult> m_pending;
    QTimer m_tick;
};

} // namespace vigil::widgets
