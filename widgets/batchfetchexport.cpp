// SPDX-License-Identifier: Apache-2.0
// The Batch Fetch tab's export of its results and its sequential-vs-concurrent comparison text.
#include "batchfetchview.h"

#include "errorbanner.h"
#include "resultsmodel.h"

#include "io/resultexport.h"

#include <QLabel>
#include <QSortFilterProxyModel>

namespace vigil::widgets {

QString BatchFetchView::comparisonText(const fetch::BatchSummary &sequential,
                                       const fetch::BatchSummary &concurrent, int concurrency) {
    const auto run = [](const fetch::BatchSummary &s) {
        return tr("%1 s (ok %2, failed %3)")
            .arg(s.wallS, 0, 'f', 2)
            .arg(s.ok)
            .arg(s.failed + s.timeout);
    };
    const bool faster = concurrent.wallS <= sequential.wallS;
    const double ratio = faster ? sequential.wallS / std::max(concurrent.wallS, 1e-9)
                                : concurrent.wallS / std::max(sequential.wallS, 1e-9);
    QString text = tr("Sequential: %1 · concurrency %2: %3 · %4× %5")
                       .arg(run(sequential))
                       .arg(concurrency)
                       .arg(run(concurrent))
                       .arg(ratio, 0, 'f', 1)
                       .arg(faster ? tr("faster") : tr("slower"));
    if (sequential.ok != concurrent.ok)
        text += tr(" (the runs did not end alike, so the times do not compare like for like)");
    return text;
}

bool BatchFetchView::exportTo(const QString &path, QString *error) {
    m_model->flush();
    QList<fetch::ItemResult> shown;
    shown.reserve(m_filter->rowCount());
    for (int row = 0; row < m_filter->rowCount(); ++row)
        shown << m_model->results().at(m_filter->mapToSource(m_filter->index(row, 0)).row());
    if (path.endsWith(QLatin1String(".har"), Qt::CaseInsensitive))
        return exportHar(path, shown, error);
    const QByteArray bytes = path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)
                                 ? io::resultsToJson(shown)
                                 : io::resultsToCsv(shown, m_model->fieldNames());
    if (io::writeFileAtomically(path, bytes, error)) {
        m_banner->clear();
        const auto all = m_model->results().size();
        m_exportLabel->setText(shown.size() < all
                                   ? tr("Wrote %1 of %2 results (those the filter shows) to %3")
                                         .arg(shown.size())
                                         .arg(all)
                                         .arg(path)
                                   : tr("Wrote all %1 results to %2").arg(shown.size()).arg(path));
        return true;
    }
    m_banner->showError(tr("Export failed: %1").arg(*error));
    return false;
}

bool BatchFetchView::exportHar(const QString &path, const QList<fetch::ItemResult> &shown,
                               QString *error) {
    io::HarWriter har(m_ranWith);
    if (har.open(path, error)) {
        for (const auto &r : shown)
            har.add(r);
        if (har.commit(error)) {
            m_banner->clear();
            const auto count = [](qsizetype n, const QString &one, const QString &many) {
                return (n == 1 ? one : many).arg(n);
            };
            QString text = tr("Wrote %1 of %2 to %3")
                               .arg(count(har.entries(), tr("%1 request"), tr("%1 requests")),
                                    count(shown.size(), tr("%1 result"), tr("%1 results")), path);
            if (har.leftOut() > 0) // resumed from a journal, or never sent
                text += tr(" (%1 without a request in this run left out)").arg(har.leftOut());
            m_exportLabel->setText(text);
            return true;
        }
    }
    m_banner->showError(tr("Export failed: %1").arg(*error));
    return false;
}

} // namespace vigil::widgets
