// SPDX-License-Identifier: Apache-2.0
#include "plotreference.h"

#include "chartpanel.h"
#include "curveitem.h"

#include "sensors/decimation.h"
#include "sensors/sensorhub.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QElapsedTimer>
#include <QPainter>

#include <cmath>
#include <limits>

namespace vigil::bench {

qint64 heldBytes(const sensors::History &history) {
    constexpr qint64 kMin = std::numeric_limits<qint64>::min();
    constexpr qint64 kMax = std::numeric_limits<qint64>::max();
    // make_shared puts the chunk and its counts in one allocation: two counters beside it.
    constexpr qint64 kControlBlock = 2 * sizeof(long);
    qint64 bytes =
        sizeof(sensors::History) + qint64(sensors::HistoryChunk::kSize * sizeof(sensors::Sample));
    for (const auto &chunk : history.snapshot(kMin, kMax).chunks) {
        bytes += qint64(sizeof(sensors::HistoryChunk)) + kControlBlock +
                 qint64(sizeof(std::shared_ptr<const sensors::HistoryChunk>));
        bytes += qint64(chunk->samples.capacity() * sizeof(sensors::Sample));
        bytes += qint64(chunk->blocks.capacity() * sizeof(sensors::Envelope));
    }
    return bytes;
}

PlotReference::PlotReference(const QList<widgets::ChartPanel *> &panels,
                             const sensors::SensorHub &hub)
    : m_hub(hub) {
    for (auto *panel : panels) {
        Chart c;
        c.image = QImage(panel->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
        c.plot = panel->chart()->plotArea();
        c.background = panel->chart()->backgroundBrush().color();
        const auto axes = panel->chart()->axes(Qt::Horizontal);
        for (auto *axis : axes) {
            if (auto *time = qobject_cast<QDateTimeAxis *>(axis))
                c.xTicks = time->tickCount();
        }
        for (int t = 0; t < c.xTicks; ++t)
            c.labels << QStringLiteral("00:00:%1").arg(t, 2, 10, QLatin1Char('0'));
        c.labels << panel->chart()->title();
        for (qsizetype i = 0; i < panel->series().size(); ++i) {
            const auto &info = panel->series()[i];
            c.ids << info.id;
            c.colors << info.color;
            const QStringList ticks = panel->tickLabels(int(i));
            c.yTicks << int(ticks.size());
            c.labels << ticks << info.name << info.unit; // the legend entry and the axis title
        }
        m_charts.push_back(std::move(c));
    }
}

double PlotReference::drawFrame(qint64 from, qint64 to) {
    for (auto &chart : m_charts) {
        chart.points.clear();
        for (const auto &id : chart.ids) {
            const auto &history = m_hub.history(id);
            chart.points.push_back(
                sensors::decimate(history.snapshot(from, to), from, to, int(chart.plot.width())));
        }
    }
    QElapsedTimer timer;
    timer.start();
    for (auto &chart : m_charts)
        draw(chart, from, to);
    return double(timer.nsecsElapsed()) / 1e6;
}

void PlotReference::draw(Chart &chart, qint64 from, qint64 to) const {
    QPainter p(&chart.image);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(chart.image.rect(), chart.background);
    const QRectF plot = chart.plot;
    p.setPen(QPen(QColor(0xd0, 0xd0, 0xd0), 1));
    for (int t = 0; t < chart.xTicks; ++t) {
        const double x = plot.left() + plot.width() * t / std::max(1, chart.xTicks - 1);
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }
    for (const int n : chart.yTicks) {
        for (int t = 0; t < n; ++t) {
            const double y = plot.bottom() - plot.height() * t / std::max(1, n - 1);
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        }
    }
    p.setPen(Qt::black);
    for (qsizetype i = 0; i < chart.labels.size(); ++i)
        p.drawText(QPointF(2 + double(i % 8) * 40, 14 + double(i / 8) * 14), chart.labels[i]);
    for (std::size_t s = 0; s < chart.points.size(); ++s) {
        double lo = INFINITY, hi = -INFINITY;
        for (const auto &pt : chart.points[s]) {
            if (!std::isnan(pt.y())) {
                lo = std::min(lo, pt.y());
                hi = std::max(hi, pt.y());
            }
        }
        const widgets::CurveGeometry geometry{
            plot, from, to, lo, hi > lo ? hi : lo + 1, int(plot.width())};
        widgets::paintCurve(p, widgets::layoutCurve(geometry, chart.points[s]),
                            chart.colors[qsizetype(s)]);
    }
}

} // namespace vigil::bench
