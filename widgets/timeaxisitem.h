// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "curveitem.h"

#include <QColor>
#include <QFont>
#include <QGraphicsItem>
#include <QHash>
#include <QPen>
#include <QStaticText>

namespace vigil::widgets {

/// @brief A chart's time axis: grid lines and "HH:mm:ss" labels at round moments
/// (dashboard::timeTicks()), placed on the curves' pixel columns (columnX()).
///
/// Qt Charts' date-time axis relabels its evenly spaced ticks in place as the window scrolls, and
/// lays out every label as rich text each frame: the biggest cost of a frame. Here a label keeps
/// its moment and scrolls with the data, and its text is laid out once (a cached QStaticText).
class TimeAxisItem : public QGraphicsItem {
public:
    explicit TimeAxisItem(QGraphicsItem *parent = nullptr);

    /// The labels' font and colour, and the grid's pen: those of the chart's theme.
    void setStyle(const QFont &font, const QColor &labels, const QPen &grid);
    /// Places the ticks for @p geometry (plot in scene coordinates, its time window, columns).
    void place(const CurveGeometry &geometry);

    /// Height the labels need below the plot, in pixels.
    [[nodiscard]] int labelsHeight() const { return m_labelsHeight; }
    /// The labelled moments and their x, for tests.
    [[nodiscard]] const QList<qint64> &times() const { return m_times; }
    [[nodiscard]] const QList<int> &xs() const { return m_xs; }
    [[nodiscard]] static QString labelFor(qint64 timeMs);

    [[nodiscard]] QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    const QStaticText &textFor(qint64 timeMs);

    CurveGeometry m_geometry;
    QList<qint64> m_times;
    QList<int> m_xs;
    QFont m_font;
    QColor m_labelColor;
    QPen m_gridPen;
    double m_labelWidth = 0; ///< of "00:00:00" in m_font
    int m_labelsHeight = 0;
    QHash<qint64, QStaticText> m_texts; ///< by moment; cleared when it outgrows a few windows
};

} // namespace vigil::widgets
