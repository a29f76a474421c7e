// SPDX-License-Identifier: Apache-2.0
#include "downloadsmodel.h"

#include <QApplication>
#include <QBrush>
#include <QColor>

namespace vigil::widgets {

DownloadsModel::DownloadsModel(QObject *parent)
    : QAbstractTableModel(parent) {}

QString DownloadsModel::humanBytes(qint64 bytes) {
    if (bytes < 0)
        return QStringLiteral("?");
    const double b = double(bytes);
    if (b >= 1e9)
        return QString::number(b / 1e9, 'f', 2) + QStringLiteral(" GB");
    if (b >= 1e6)
        return QString::number(b / 1e6, 'f', 1) + QStringLiteral(" MB");
    if (b >= 1e3)
        return QString::number(b / 1e3, 'f', 0) + QStringLiteral(" kB");
    return QString::number(bytes) + QStringLiteral(" B");
}

QString DownloadsModel::megabytesPerSecond(double bytesPerSecond) {
    // One unit for every speed, as the chart and the summary's mb_per_s count it: 10^6 bytes.
    const double mb = bytesPerSecond / 1e6;
    return QString::number(mb, 'f', mb < 10 ? 2 : 1) + QStringLiteral(" MB/s");
}

void DownloadsModel::reset(const QStringList &names) {
    beginResetModel();
    m_rows.clear();
    for (int i = 0; i < names.size(); ++i) {
        fetch::DownloadProgress p;
        p.index = i;
        p.name = names[i];
        m_rows << p;
    }
    endResetModel();
}

void DownloadsModel::update(const fetch::DownloadProgress &p) {
    if (p.index < 0 || p.index >= m_rows.size())
        return;
    m_rows[p.index] = p;
    Q_EMIT dataChanged(index(p.index, 0), index(p.index, ColumnCount - 1));
}

int DownloadsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DownloadsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DownloadsModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const auto &p = m_rows[index.row()];
    if (role == kFractionRole) {
        if (p.total > 0)
            return double(p.bytes) / double(p.total);
        if (p.state == fetch::DownloadState::Done)
            return 1.0;
        // Busy only while bytes flow towards an unknown size; otherwise an empty bar.
        return p.state == fetch::DownloadState::Downloading ? -1.0 : 0.0;
    }
    if (role == Qt::ForegroundRole && index.column() == State) {
        switch (p.state) {
        case fetch::DownloadState::Done:
            return QBrush(QColor(0x2e, 0x7d, 0x32));
        case fetch::DownloadState::Failed:
            return QBrush(QColor(0xc6, 0x28, 0x28));
        case fetch::DownloadState::Paused:
        case fetch::DownloadState::Cancelled:
            return QBrush(QColor(0x75, 0x75, 0x75));
        default:
            return QBrush(QColor(0x15, 0x65, 0xc0));
        }
    }
    // A rerun skips what is already on disk; the row says so, or a user could not tell which
    // files this run fetched.
    const bool skipped = p.state == fetch::DownloadState::Done && p.alreadyComplete;
    if (role == Qt::ToolTipRole) {
        if (skipped)
            return tr("Already complete: nothing was downloaded, the file on disk already had its "
                      "size (and its SHA-256, when one was given).\n%1")
                .arg(p.path);
        return p.error.isEmpty() ? p.path : p.error;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return p.name;
    case State:
        if (skipped)
            return tr("already complete");
        return QString(fetch::downloadStateName(p.state) +
                       (p.resumed && p.state == fetch::DownloadState::Downloading ? tr(" (resumed)")
                                                                                  : QString()));
    case Progress:
        return p.total > 0
                   ? QString(QString::number(100.0 * double(p.bytes) / double(p.total), 'f', 0) +
                             u'%')
                   : QString();
    case Bytes:
        return QString(humanBytes(p.bytes) + QStringLiteral(" / ") + humanBytes(p.total));
    case Speed:
        return p.bytesPerSecond > 0 ? megabytesPerSecond(p.bytesPerSecond) : QString();
    case Eta:
        if (p.bytesPerSecond > 0 && p.total > 0)
            return QString(QString::number(double(p.total - p.bytes) / p.bytesPerSecond, 'f', 0) +
                           QStringLiteral(" s"));
        return {};
    case Error:
        return p.error;
    default:
        return {};
    }
}

QVariant DownloadsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"File",  "State", "Progress", "Bytes",
                                        "Speed", "ETA",   "Error"};
    return tr(names[section]);
}

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const {
    const double fraction = index.data(DownloadsModel::kFractionRole).toDouble();
    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(2, 3, -2, -3);
    bar.minimum = 0;
    bar.maximum = fraction < 0 ? 0 : 1000; // 0/0 is Qt's busy indicator
    bar.progress = fraction < 0 ? 0 : int(fraction * 1000);
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = true;
    bar.state = option.state | QStyle::State_Horizontal;
    QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter);
}

} // namespace vigil::widgets
