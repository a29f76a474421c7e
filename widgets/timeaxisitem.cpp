// SPDX-License-Identifier: Apache-2.0
#include "timeaxisitem.h"

#include "dashboard/axisticks.h"

#include <QDateTime>
#include <QFontMetricsF>
#include <QPainter>

namespace vigil::widgets {

namespace {
constexpr int kTickLength = 4;
constexpr int kLabelGap = 2; ///< between the tick's end and the label
constexpr qsizetype kMaxCachedTexts = 64;
/// Under the curves and bands (Qt Charts puts its grid at 2, its line series at 4).
constexpr double kGridZ = 2;
} // namespace

TimeAxisItem::TimeAxisItem(QGraphicsItem *parent)
    : QGraphicsItem(parent) {
    setZValue(kGridZ);
}

void TimeAxisItem::setStyle(const QFont &font, const QColor &labels, const QPen &grid) {
    m_font = font;
    m_labelColor = labels;
    m_gridPen = grid;
    m_gridPen.setCosmetic(true);
    // Measured once: place() runs for every series of every frame, boundingRect() more often.
    const QFontMetricsF metrics(m_font);
    m_labelWidth = metrics.horizontalAdvance(QStringLiteral("00:00:00"));
    m_labelsHeight = kTickLength + kLabelGap + int(std::ceil(metrics.height()));
    m_texts.clear();
    update();
}

QString TimeAxisItem::labelFor(qint64 timeMs) {
    return QDateTime::fromMSecsSinceEpoch(timeMs).toString(QStringLiteral("HH:mm:ss"));
}

void TimeAxisItem::place(const CurveGeometry &geometry) {
    const int maxLabels = dashboard::timeTickCount(geometry.plot.width(), m_labelWidth);
    const qint64 offsetMs =
        qint64(QDateTime::fromMSecsSinceEpoch(geometry.to).offsetFromUtc()) * 1000;
    const auto ticks = dashboard::timeTicks(geometry.from, geometry.to, maxLabels, offsetMs);
    QList<int> xs;
    xs.reserve(ticks.times.size());
    for (const qint64 t : ticks.times)
        xs << columnX(geometry, t);
    if (geometry.plot != m_geometry.plot)
        prepareGeometryChange();
    m_geometry = geometry;
    m_times = ticks.times;
    m_xs = xs;
    update();
}

QRectF TimeAxisItem::boundingRect() const {
    const QRectF plot = m_geometry.plot;
    const double half = m_labelWidth / 2;
    return plot.adjusted(-half - 1, 0, half + 1, m_labelsHeight + 1);
}

const QStaticText &TimeAxisItem::textFor(qint64 timeMs) {
    auto it = m_texts.find(timeMs);
    if (it != m_texts.end())
        return *it;
    if (m_texts.size() >= kMaxCachedTexts)
        m_texts.clear(); // the window has moved on: the old moments are gone for good
    QStaticText text(labelFor(timeMs));
    text.setTextFormat(Qt::PlainText);
    text.setPerformanceHint(QStaticText::AggressiveCaching);
    text.prepare(QTransform(), m_font);
    return *m_texts.insert(timeMs, text);
}

void TimeAxisItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) {
    const QRectF plot = m_geometry.plot;
    if (plot.isEmpty())
        return;
    painter->save();
    // Grid lines and ticks on whole pixels, without antialiasing: crisp, like the curves.
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(m_gridPen);
    const int top = int(std::floor(plot.top()));
    const int bottom = int(std::ceil(plot.bottom())) - 1;
    for (const int x : std::as_const(m_xs)) {
        if (x < plot.left() || x >= plot.right())
            continue;
        painter->drawLine(x, top, x, bottom + kTickLength);
    }
    painter->setFont(m_font);
    painter->setPen(m_labelColor);
    for (qsizetype i = 0; i < m_times.size(); ++i) {
        const int x = m_xs[i];
        if (x < plot.left() || x >= plot.right())
            continue;
        const QStaticText &text = textFor(m_times[i]);
        const double width = text.size().width();
        painter->drawStaticText(QPointF(x - width / 2, bottom + kTickLength + kLabelGap), text);
    }
    painter->restore();
}

} // namespace vigil::widgets
