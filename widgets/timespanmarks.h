// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QColor>
#include <QList>
#include <QRectF>
#include <QString>

#include <functional>
#include <vector>

class QGraphicsRectItem;
class QGraphicsScene;
class QGraphicsSimpleTextItem;

namespace vigil::widgets {

/// @brief A stretch of wall-clock time worth pointing at on every chart, such as the seconds
/// the GUI thread was blocked by the block-vs-offload demo.
struct TimeSpan {
    qint64 fromMs = 0; ///< ms since the epoch, as the charts' time axis
    qint64 toMs = 0;
    QString label;
    QColor color;
};

/// @brief Shaded bands with a label over a chart's plot area, one per TimeSpan, clipped to it.
///
/// The items belong to the scene and sit under the cursor; coordinates are scene coordinates.
class TimeSpanMarks {
public:
    explicit TimeSpanMarks(QGraphicsScene *scene);

    void setSpans(const QList<TimeSpan> &spans);
    [[nodiscard]] const QList<TimeSpan> &spans() const { return m_spans; }
    /// Places the bands in @p plotArea; @p xOf maps a time (ms since the epoch) to a scene x.
    void place(const QRectF &plotArea, const std::function<double(double)> &xOf);

    /// Scene rectangles of the bands now visible, in setSpans() order.
    [[nodiscard]] QList<QRectF> shownBands() const;
    /// The labels now visible.
    [[nodiscard]] QStringList shownLabels() const;

private:
    struct Mark {
        QGraphicsRectItem *band;
        QGraphicsSimpleTextItem *text;
    };
    QGraphicsScene *m_scene;
    QList<TimeSpan> m_spans;
    std::vector<Mark> m_marks;
};

} // namespace vigil::widgets
