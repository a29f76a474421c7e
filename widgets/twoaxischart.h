// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QChartView>

#include <vector>

class QLineSeries;
class QValueAxis;

namespace vigil::widgets {

/// @brief A live chart over elapsed seconds with a left and a right value axis: the shape of the
/// batch and download throughput charts. append() takes one value per series and redraws each
/// with a single replace(); the axes grow to fit.
class TwoAxisChart : public QChartView {
    Q_OBJECT
public:
    TwoAxisChart(const QString &title, const QString &leftUnit, const QString &rightUnit,
                 QWidget *parent = nullptr);

    /// Adds a series on the left (Qt::AlignLeft) or right axis; returns its index.
    int addSeries(const QString &name, Qt::Alignment side);
    void append(double seconds, const std::vector<double> &values);
    void clearPoints();
    /// Removes every series after the first @p keep (series added for one run only).
    void keepSeries(int keep);
    [[nodiscard]] int seriesCount() const { return int(m_tracks.size()); }
    /// Points in the first series.
    [[nodiscard]] qsizetype pointCount() const;
    [[nodiscard]] QValueAxis *axisX() const { return m_axisX; }

private:
    /// Nice ranges and ticks for @p seconds of time and the largest value on each side.
    void showRanges(double seconds, double maxLeft, double maxRight);

    struct Track {
        QLineSeries *series;
        bool left;
        QList<QPointF> points;
    };
    std::vector<Track> m_tracks;
    QValueAxis *m_axisX;
    QValueAxis *m_axisLeft;
    QValueAxis *m_axisRight;
};

} // namespace vigil::widgets
