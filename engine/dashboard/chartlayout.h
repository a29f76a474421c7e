// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>

namespace vigil::dashboard {

/// @brief The dashboard's chart grid: each chart lists the ids of the series it draws, in order.
using ChartGrid = QList<QStringList>;

/// The layout edits an operator makes. Each returns whether anything changed; an id that is not
/// in the grid, or an edit that has nowhere to go (the first chart moved up), changes nothing.

/// Moves @p id by @p delta: within its chart when it shares one and there is room, otherwise the
/// whole chart moves among the charts.
[[nodiscard]] bool moveSeries(ChartGrid &charts, const QString &id, int delta);
/// Moves every id of @p ids into the chart of the first (in that order, after the series it
/// already holds); charts left empty disappear. Needs two ids or more that the grid holds.
[[nodiscard]] bool mergeIntoChart(ChartGrid &charts, const QStringList &ids);
/// Where a removed series was: the chart it shared (its other ids) and that chart's place.
struct ChartPlace {
    QStringList chart; ///< the chart's ids before the removal, @p id among them
    qsizetype index = 0;
};
/// Where @p id is drawn, for restoreSeries().
[[nodiscard]] ChartPlace placeOf(const ChartGrid &charts, const QString &id);
/// Puts @p id back where @p place says: into its former chart, at its former position, when a
/// series of that chart is still drawn; else in a chart of its own at the former place. An id
/// already drawn elsewhere is moved.
void restoreSeries(ChartGrid &charts, const QString &id, const ChartPlace &place);
/// Takes @p id out of a shared chart into a chart of its own, right after it.
[[nodiscard]] bool splitIntoOwnChart(ChartGrid &charts, const QString &id);
/// Shows or hides @p id (its chart keeps its place).
[[nodiscard]] bool setSeriesHidden(QStringList &hidden, const QString &id, bool hide);

/// Removes @p id everywhere; charts left empty disappear.
void removeSeries(ChartGrid &charts, QStringList &hidden, const QString &id);
/// Gives @p id a chart of its own at the end, unless some chart already draws it.
void ensureCharted(ChartGrid &charts, const QString &id);
/// Keeps @p charts' grouping for the ids that @p exists, drops the others and empty charts, and
/// gives every id of @p ids that no chart draws a chart of its own, in @p ids' order.
[[nodiscard]] ChartGrid reconcileCharts(const ChartGrid &charts, const QStringList &ids);

/// The ids drawn, chart by chart, less the hidden ones.
[[nodiscard]] QStringList shownIds(const ChartGrid &charts, const QStringList &hidden);
/// Columns of the chart grid: two up to four charts, then about a square, so all stay on screen.
[[nodiscard]] int gridColumns(qsizetype chartCount);
/// gridColumns(), less when @p availableWidth does not hold that many charts @p minChartWidth
/// wide with @p spacing between them; at least one.
[[nodiscard]] int gridColumns(qsizetype chartCount, int availableWidth, int minChartWidth,
                              int spacing);

} // namespace vigil::dashboard
