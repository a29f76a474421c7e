// SPDX-License-Identifier: Apache-2.0
#include "resultsmodel.h"

#include <QBrush>
#include <QColor>

namespace vigil::widgets {

ResultsModel::ResultsModel(QObject *parent)
    : QAbstractTableModel(parent) {
    m_tick.setInterval(50);
    m_tick.setSingleShot(true);
    connect(&m_tick, &QTimer::timeout, this, &ResultsModel::flush);
}

void ResultsModel::reset(const QStringList &fieldNames) {
    beginResetModel();
    m_fields = fieldNames;
    m_rows.clear();
    m_pending.clear();
    endResetModel();
}

void ResultsModel::add(const fetch::ItemResult &result) {
    // Columns follow the results: the compute stage adds fields the form did not list.
    for (const auto &[name, value] : result.fields) {
        if (!m_fields.contains(name)) {
            flush();
            beginInsertColumns({}, errorColumn(), errorColumn());
            m_fields << name;
            endInsertColumns();
        }
    }
    m_pending << result;
    if (!m_tick.isActive())
        m_tick.start();
}

void ResultsModel::flush() {
    m_tick.stop();
    if (m_pending.isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + m_pending.size() - 1));
    m_rows += m_pending;
    m_pending.clear();
    endInsertRows();
}

int ResultsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ResultsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : errorColumn() + 1;
}

QVariant ResultsModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const auto &r = m_rows[index.row()];
    const int column = index.column();
    if (role == kStatusRole)
        return fetch::statusName(r.status);
    if (role == Qt::ForegroundRole && column == Status) {
        switch (r.status) {
        case fetch::ItemStatus::Ok:
            return QBrush(QColor(0x2e, 0x7d, 0x32));
        case fetch::ItemStatus::Failed:
            return QBrush(QColor(0xc6, 0x28, 0x28));
        case fetch::ItemStatus::Timeout:
            return QBrush(QColor(0xef, 0x6c, 0x00));
        case fetch::ItemStatus::Cancelled:
            return QBrush(QColor(0x75, 0x75, 0x75));
        }
    }
    if (role == Qt::ToolTipRole && column == errorColumn())
        return r.error;
    if (role == Qt::ToolTipRole && column == QueuedMs)
        return tr("Time waiting inside Vigil (rate limit, host pause, backoff, Retry-After), "
                  "not in Latency");
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Rank:
        return r.rank;
    case Item:
        return r.item;
    case Status:
        return fetch::statusName(r.status);
    case Http:
        return r.httpStatus > 0 ? QVariant(r.httpStatus) : QVariant();
    case LatencyMs:
        return std::round(r.latencyMs * 10) / 10;
    case QueuedMs:
        return std::round(r.queuedMs * 10) / 10;
    case Attempts:
        return r.attempts;
    case Bytes:
        return r.bytes;
    default:
        break;
    }
    if (column == errorColumn())
        return r.error;
    return r.field(m_fields.value(column - FirstField));
}

QVariant ResultsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Rank:
        return tr("#");
    case Item:
        return tr("Item");
    case Status:
        return tr("Status");
    case Http:
        return tr("HTTP");
    case LatencyMs:
        return tr("Latency ms");
    case QueuedMs:
        return tr("Queued ms");
    case Attempts:
        return tr("Tries");
    case Bytes:
        return tr("Bytes");
    default:
        break;
    }
    if (section == errorColumn())
        return tr("Error");
    return m_fields.value(section - FirstField);
}

} // namespace vigil::widgets
