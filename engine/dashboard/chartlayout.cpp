// SPDX-License-Identifier: Apache-2.0
#include "chartlayout.h"

#include <algorithm>
#include <cmath>

namespace vigil::dashboard {

namespace {
qsizetype chartOf(const ChartGrid &charts, const QString &id) {
    for (qsizetype c = 0; c < charts.size(); ++c) {
        if (charts[c].contains(id))
            return c;
    }
    return -1;
}
} // namespace

bool moveSeries(ChartGrid &charts, const QString &id, int delta) {
    const qsizetype c = chartOf(charts, id);
    if (c < 0 || delta == 0)
        return false;
    const qsizetype i = charts[c].indexOf(id);
    if (charts[c].size() > 1 && i + delta >= 0 && i + delta < charts[c].size()) {
        charts[c].move(i, i + delta); // reorder within a shared chart
        return true;
    }
    if (c + delta < 0 || c + delta >= charts.size())
        return false;
    charts.move(c, c + delta);
    return true;
}

bool mergeIntoChart(ChartGrid &charts, const QStringList &ids) {
    if (ids.size() < 2)
        return false;
    for (const auto &id : ids) {
        if (chartOf(charts, id) < 0)
            return false;
    }
    const QStringList target = charts[chartOf(charts, ids.front())];
    bool changed = false;
    for (const auto &id : ids.mid(1)) {
        if (target.contains(id))
            continue;
        for (auto &chart : charts)
            chart.removeAll(id);
        changed = true;
    }
    // The target chart is found again: removing ids may have emptied charts before it.
    charts.removeAll(QStringList());
    QStringList &merged = charts[chartOf(charts, ids.front())];
    for (const auto &id : ids.mid(1)) {
        if (!merged.contains(id))
            merged << id;
    }
    return changed;
}

ChartPlace placeOf(const ChartGrid &charts, const QString &id) {
    const qsizetype c = chartOf(charts, id);
    return c < 0 ? ChartPlace{{}, charts.size()} : ChartPlace{charts[c], c};
}

void restoreSeries(ChartGrid &charts, const QString &id, const ChartPlace &place) {
    for (auto &chart : charts)
        chart.removeAll(id);
    charts.removeAll(QStringList());
    const qsizetype at = place.chart.indexOf(id);
    for (qsizetype i = 0; i < place.chart.size(); ++i) {
        const qsizetype c = chartOf(charts, place.chart[i]);
        if (i == at || c < 0)
            continue;
        // The position among the former neighbours that are still there.
        qsizetype pos = 0;
        for (qsizetype j = 0; j < at; ++j)
            pos += charts[c].contains(place.chart[j]) ? 1 : 0;
        charts[c].insert(std::min(pos, charts[c].size()), id);
        return;
    }
    charts.insert(std::clamp(place.index, qsizetype(0), charts.size()), QStringList{id});
}

bool splitIntoOwnChart(ChartGrid &charts, const QString &id) {
    const qsizetype c = chartOf(charts, id);
    if (c < 0 || charts[c].size() == 1)
        return false;
    charts[c].removeAll(id);
    charts.insert(c + 1, QStringList{id});
    return true;
}

bool setSeriesHidden(QStringList &hidden, const QString &id, bool hide) {
    if (hidden.contains(id) == hide)
        return false;
    if (hide)
        hidden << id;
    else
        hidden.removeAll(id);
    return true;
}

void removeSeries(ChartGrid &charts, QStringList &hidden, const QString &id) {
    for (auto &chart : charts)
        chart.removeAll(id);
    charts.removeAll(QStringList());
    hidden.removeAll(id);
}

void ensureCharted(ChartGrid &charts, const QString &id) {
    if (chartOf(charts, id) < 0)
        charts << QStringList{id};
}

ChartGrid reconcileCharts(const ChartGrid &charts, const QStringList &ids) {
    const QSet<QString> present(ids.begin(), ids.end());
    QSet<QString> placed;
    ChartGrid out;
    for (const auto &chart : charts) {
        QStringList kept;
        for (const auto &id : chart) {
            // A file may name a series twice; it is drawn once, where it first appears.
            if (present.contains(id) && !placed.contains(id)) {
                kept << id;
                placed.insert(id);
            }
        }
        if (!kept.isEmpty())
            out << kept;
    }
    for (const auto &id : ids) {
        if (!placed.contains(id))
            out << QStringList{id};
    }
    return out;
}

QStringList shownIds(const ChartGrid &charts, const QStringList &hidden) {
    QStringList ids;
    for (const auto &chart : charts) {
        for (const auto &id : chart) {
            if (!hidden.contains(id))
                ids << id;
        }
    }
    return ids;
}

int gridColumns(qsizetype chartCount) {
    if (chartCount <= 1)
        return 1;
    if (chartCount <= 4)
        return 2;
    return int(std::ceil(std::sqrt(double(chartCount))));
}

int gridColumns(qsizetype chartCount, int availableWidth, int minChartWidth, int spacing) {
    const int fit = (availableWidth + spacing) / std::max(1, minChartWidth + spacing);
    return std::max(1, std::min(gridColumns(chartCount), fit));
}

} // namespace vigil::dashboard
