// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fetch/downloader.h"

#include <QAbstractTableModel>
#include <QStyledItemDelegate>

namespace vigil::widgets {

/// @brief One row per file: name, state, progress, bytes, speed, ETA and the error if any.
class DownloadsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, State, Progress, Bytes, Speed, Eta, Error, ColumnCount };
    static constexpr int kFractionRole = Qt::UserRole + 1; ///< 0..1, or -1 when the size is unknown

    explicit DownloadsModel(QObject *parent = nullptr);

    void reset(const QStringList &names);
    void update(const fetch::DownloadProgress &p);
    [[nodiscard]] const fetch::DownloadProgress &row(int index) const { return m_rows[index]; }
    [[nodiscard]] int count() const { return int(m_rows.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    [[nodiscard]] static QString humanBytes(qint64 bytes);
    /// A speed in MB/s (10^6 bytes per second), the unit of every speed in the tab.
    [[nodiscard]] static QString megabytesPerSecond(double bytesPerSecond);

private:
    QList<fetch::DownloadProgress> m_rows;
};

/// @brief Draws the Progress column as a progress bar.
class ProgressDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
};

} // namespace vigil::widgets
