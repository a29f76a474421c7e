// SPDX-License-Identifier: Apache-2.0
#include "twoaxischart.h"

#include "dashboard/axisticks.h"

#include <QLineSeries>
#include <QValueAxis>

namespace vigil::widgets {

namespace {
// Qt spaces a value axis's ticks evenly from min to max: a nice range with one tick per step
// puts every tick on a round value.
void applyTicks(QValueAxis *axis, const dashboard::AxisTicks &ticks) {
    axis->setRange(ticks.min, ticks.max);
    axis->setTickCount(int(ticks.values.size()));
    axis->setLabelFormat(QStringLiteral("%.") + QString::number(ticks.decimals) + u'f');
}
} // namespace

TwoAxisChart::TwoAxisChart(const QString &title, const QString &leftUnit, const QString &rightUnit,
                           QWidget *parent)
    : QChartView(new QChart, parent)
    , m_axisX(new QValueAxis)
    , m_axisLeft(new QValueAxis)
    , m_axisRight(new QValueAxis) {
    auto *c = chart();
    c->setAnimationOptions(QChart::NoAnimation);
    c->setTitle(title);
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setMargins(QMargins(4, 4, 4, 4));
    m_axisX->setTitleText(tr("seconds"));
    m_axisLeft->setTitleText(leftUnit);
    m_axisRight->setTitleText(rightUnit);
    c->addAxis(m_axisX, Qt::AlignBottom);
    c->addAxis(m_axisLeft, Qt::AlignLeft);
    c->addAxis(m_axisRight, Qt::AlignRight);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(240);
    showRanges(0, 1, 1); // empty, Qt's 0..1 in five whole-number labels read 0 0 1 1 1
}

void TwoAxisChart::showRanges(double seconds, double maxLeft, double maxRight) {
    using dashboard::AxisScale;
    applyTicks(m_axisX,
               dashboard::niceTicks(0, std::max(5.0, seconds), 7, AxisScale::WholeNumbers));
    applyTicks(m_axisLeft, dashboard::niceTicks(0, maxLeft * 1.05, 6));
    applyTicks(m_axisRight, dashboard::niceTicks(0, maxRight * 1.05, 6));
}

int TwoAxisChart::addSeries(const QString &name, Qt::Alignment side) {
    auto *series = new QLineSeries;
    series->setName(name);
    chart()->addSeries(series);
    series->attachAxis(m_axisX);
    const bool left = side == Qt::AlignLeft;
    series->attachAxis(left ? m_axisLeft : m_axisRight);
    m_tracks.push_back({series, left, {}});
    return int(m_tracks.size()) - 1;
}

void TwoAxisChart::append(double seconds, const std::vector<double> &values) {
    double maxLeft = 1, maxRight = 1;
    for (std::size_t i = 0; i < m_tracks.size() && i < values.size(); ++i) {
        Track &t = m_tracks[i];
        t.points << QPointF(seconds, values[i]);
        t.series->replace(t.points);
        for (const auto &p : t.points)
            (t.left ? maxLeft : maxRight) = std::max(t.left ? maxLeft : maxRight, p.y());
    }
    showRanges(seconds, maxLeft, maxRight);
}

void TwoAxisChart::clearPoints() {
    for (auto &t : m_tracks) {
        t.points.clear();
        t.series->clear();
    }
}

void TwoAxisChart::keepSeries(int keep) {
    while (int(m_tracks.size()) > keep) {
        chart()->removeSeries(m_tracks.back().series);
        delete m_tracks.back().series;
        m_tracks.pop_back();
    }
}

qsizetype TwoAxisChart::pointCount() const {
    return m_tracks.empty() ? 0 : m_tracks.front().series->count();
}

} // namespace vigil::widgets
