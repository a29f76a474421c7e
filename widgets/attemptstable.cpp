// SPDX-License-Identifier: Apache-2.0
#include "attemptstable.h"

#include <QHeaderView>

namespace vigil::widgets {

namespace {
QString millis(float ms) {
    return ms < 0 ? QStringLiteral("–") : QString::number(double(ms), 'f', ms < 10 ? 2 : 1);
}

QString connection(const net::ExchangeTiming &x) {
    if (!x.measured)
        return QObject::tr("not measured");
    return x.reused ? QObject::tr("reused") : QObject::tr("new");
}

/// The status (and where a redirect led: the next record's URL), or the failure.
QString outcome(const QList<fetch::AttemptPhases> &timeline, qsizetype i) {
    const fetch::AttemptPhases &a = timeline.at(i);
    if (a.status > 0)
        return QString::number(a.status) + (a.redirect && i + 1 < timeline.size()
                                                ? QObject::tr(" → ") + timeline.at(i + 1).url
                                                : QString());
    return a.error == net::HttpErrorKind::None ? QString() : net::errorKindName(a.error);
}
} // namespace

AttemptsTable::AttemptsTable(QWidget *parent)
    : QTableWidget(parent) {
    setColumnCount(13);
    setHorizontalHeaderLabels({tr("Attempt"), tr("Status"), tr("Queued"), tr("Host wait"),
                               tr("Backoff"), tr("DNS"), tr("Connect"), tr("TLS"), tr("Send"),
                               tr("First byte"), tr("Body"), tr("Connection"), tr("Total ms")});
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    verticalHeader()->hide();
    horizontalHeader()->setStretchLastSection(true);
    setToolTip(tr("Milliseconds; connect includes TLS, and a reused connection has none"));
}

void AttemptsTable::showItem(const QString &item, const QString &error,
                             const QList<fetch::AttemptPhases> &timeline, int record) {
    m_caption = error.isEmpty() ? item : tr("%1: %2").arg(item, error);
    setRowCount(int(timeline.size()));
    for (int row = 0; row < timeline.size(); ++row) {
        const fetch::AttemptPhases &a = timeline.at(row);
        const net::ExchangeTiming &x = a.exchange;
        const QStringList cells{QString::number(a.attempt),
                                outcome(timeline, row),
                                millis(a.queuedMs),
                                millis(a.limitMs),
                                millis(a.backoffMs),
                                millis(x.dnsMs),
                                millis(x.connectMs),
                                millis(x.sslMs),
                                millis(x.sendMs),
                                millis(x.waitMs),
                                millis(x.receiveMs),
                                connection(x),
                                millis(float(a.endMs() - a.startMs))};
        for (int column = 0; column < cells.size(); ++column)
            setItem(row, column, new QTableWidgetItem(cells.at(column)));
    }
    if (record >= 0 && record < rowCount())
        selectRow(record);
}

} // namespace vigil::widgets
