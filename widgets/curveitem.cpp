// SPDX-License-Identifier: Apache-2.0
#include "curveitem.h"

#include "sensors/decimation.h"

#include <QPainter>

#include <cmath>

namespace vigil::widgets {

namespace {
/// One pixel column of a curve, in pixels.
struct Column {
    int x = 0;
    double top = 0, bottom = 0, first = 0, last = 0;
    int count = 1;
    bool linkedIn = false;
    bool linkedOut = false;
};

std::vector<Column> columnsOf(const CurveGeometry &g, const QList<QPointF> &points) {
    const double yScale = g.yMax > g.yMin ? g.plot.height() / (g.yMax - g.yMin) : 0;
    std::vector<Column> out;
    out.reserve(std::size_t(std::max(1, g.columns)) + 1);
    bool broken = true;
    for (const auto &p : points) {
        if (std::isnan(p.y())) {
            broken = true;
            continue;
        }
        const int x = columnX(g, qint64(p.x()));
        const double y = g.plot.bottom() - (p.y() - g.yMin) * yScale;
        if (!broken && !out.empty() && out.back().x == x) {
            Column &c = out.back();
            c.top = std::min(c.top, y);
            c.bottom = std::max(c.bottom, y);
            c.last = y;
            ++c.count;
            continue;
        }
        Column c{x, y, y, y, y};
        c.linkedIn = !broken && !out.empty();
        if (c.linkedIn)
            out.back().linkedOut = true;
        out.push_back(c);
        broken = false;
    }
    return out;
}
} // namespace

int columnX(const CurveGeometry &g, qint64 t) {
    // The column's position drops the window's sub-pixel phase: the curve moves by whole pixels,
    // and a sample never changes column while the window scrolls.
    const qint64 span = std::max<qint64>(1, g.to - g.from);
    const int columns = std::max(1, g.columns);
    const qint64 k =
        sensors::absoluteColumn(t, span, columns) - sensors::absoluteColumn(g.from, span, columns);
    // Decimated to the plot's whole pixels, a column is one pixel: stretching it by the plot's
    // fraction of a pixel would skip a pixel every few hundred, and bridge it with a blurred link.
    const double ratio = g.plot.width() / columns;
    const double perColumn = std::abs(ratio - 1) < 0.01 ? 1.0 : ratio;
    return int(std::floor(g.plot.left())) + int(std::lround(double(k) * perColumn));
}

CurveShapes layoutCurve(const CurveGeometry &g, const QList<QPointF> &points) {
    CurveShapes out;
    const auto columns = columnsOf(g, points);
    const int minX = int(std::floor(g.plot.left()));
    const int maxX = int(std::ceil(g.plot.right())) - 1;
    const int minY = int(std::floor(g.plot.top()));
    const int maxY = int(std::ceil(g.plot.bottom())) - 1;
    out.clip = g.plot;
    out.spans.reserve(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const Column &c = columns[i];
        if (c.x < minX || c.x > maxX)
            continue;
        double top = c.top, bottom = c.bottom;
        if (c.linkedIn) {
            const Column &prev = columns[i - 1];
            if (c.x - prev.x <= 1) { // neighbours: the span itself reaches the previous value
                top = std::min(top, prev.last);
                bottom = std::max(bottom, prev.last);
            } else {
                out.links.emplace_back(prev.x + 0.5, prev.last, c.x + 0.5, c.first);
            }
        }
        if (!c.linkedIn && !c.linkedOut && c.count == 1)
            out.dots.emplace_back(c.x + 0.5 - 1.5, c.first - 1.5, 3.0, 3.0);
        const int y0 = std::max(minY, int(std::floor(top)));
        const int y1 = std::min(maxY, int(std::floor(bottom)));
        if (y0 <= y1)
            out.spans.emplace_back(c.x, y0, 1, y1 - y0 + 1);
    }
    return out;
}

void paintCurve(QPainter &painter, const CurveShapes &shapes, const QColor &color) {
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    for (const QRect &r : shapes.spans)
        painter.fillRect(r, color);
    painter.setRenderHint(QPainter::Antialiasing, true);
    if (!shapes.links.empty() || !shapes.dots.empty())
        painter.setClipRect(shapes.clip, Qt::IntersectClip);
    if (!shapes.links.empty()) {
        QPen pen(color, 1);
        pen.setCosmetic(true);
        painter.setPen(pen);
        painter.drawLines(shapes.links.data(), int(shapes.links.size()));
    }
    if (!shapes.dots.empty()) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        for (const QRectF &d : shapes.dots)
            painter.drawEllipse(d);
    }
    painter.restore();
}

CurveItem::CurveItem(const QColor &color, QGraphicsItem *parent)
    : QGraphicsItem(parent)
    , m_color(color) {}

void CurveItem::setData(const QList<QPointF> &points, const CurveGeometry &geometry) {
    if (geometry.plot != m_geometry.plot)
        prepareGeometryChange();
    m_points = points;
    m_geometry = geometry;
    m_laidOut = false;
    update();
}

void CurveItem::setColor(const QColor &color) {
    m_color = color;
    update();
}

const CurveShapes &CurveItem::shapes() const {
    if (!m_laidOut) {
        m_shapes = layoutCurve(m_geometry, m_points);
        m_laidOut = true;
    }
    return m_shapes;
}

void CurveItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) {
    paintCurve(*painter, shapes(), m_color);
}

} // namespace vigil::widgets
