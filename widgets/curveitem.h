// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QColor>
#include <QGraphicsItem>
#include <QLine>
#include <QList>
#include <QPointF>
#include <QRect>

#include <vector>

class QPainter;

namespace vigil::widgets {

/// @brief Where a curve goes: the plot rectangle, the time window and value range it spans, and
/// the column count decimation used (one column per pixel).
struct CurveGeometry {
    QRectF plot;
    qint64 from = 0;
    qint64 to = 1;
    double yMin = 0;
    double yMax = 1;
    int columns = 1;
};

/// @brief What a curve draws, in pixels: per column one vertical span from its min to its max
/// (stretched to meet the previous column), lines across columns with no sample, and dots for
/// readings alone between failures.
struct CurveShapes {
    std::vector<QRect> spans; ///< one pixel wide each, drawn without antialiasing: crisp
    std::vector<QLineF> links;
    std::vector<QRectF> dots;
    QRectF clip; ///< the plot: values off the axis's range are cut there, as Qt Charts does
};

/// Lays out decimated @p points (first/min/max/last per column of sensors::absoluteColumn(),
/// NaN = a failed reading, which breaks the curve) in @p geometry. Columns sit at whole pixels
/// counted from the epoch, so scrolling moves the whole curve by whole pixels.
[[nodiscard]] CurveShapes layoutCurve(const CurveGeometry &geometry, const QList<QPointF> &points);

/// The pixel column where the curve in @p geometry draws time @p t: whole pixels counted from
/// the epoch, so a moment keeps its place on the curve while the window scrolls. Time labels and
/// grid lines use it too, and stay on the samples they name.
[[nodiscard]] int columnX(const CurveGeometry &geometry, qint64 t);

/// Draws @p shapes in @p color: the spans as aliased 1-pixel rectangles, the links with a 1-pixel
/// antialiased cosmetic pen. The plot benchmark's reference draws with this too.
void paintCurve(QPainter &painter, const CurveShapes &shapes, const QColor &color);

/// @brief One series' curve in a chart's scene, drawn by paintCurve() instead of a QLineSeries:
/// a min/max envelope per pixel column, so every spike shows, at a fraction of the cost.
class CurveItem : public QGraphicsItem {
public:
    explicit CurveItem(const QColor &color, QGraphicsItem *parent = nullptr);

    /// Replaces the points; the next paint lays them out in @p geometry.
    void setData(const QList<QPointF> &points, const CurveGeometry &geometry);
    void setColor(const QColor &color);
    [[nodiscard]] const QList<QPointF> &points() const { return m_points; }
    /// The shapes of the last layout (after a paint or shapes()).
    [[nodiscard]] const CurveShapes &shapes() const;

    [[nodiscard]] QRectF boundingRect() const override { return m_geometry.plot; }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QList<QPointF> m_points;
    CurveGeometry m_geometry;
    QColor m_color;
    mutable CurveShapes m_shapes;
    mutable bool m_laidOut = false;
};

} // namespace vigil::widgets
