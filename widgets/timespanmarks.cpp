// SPDX-License-Identifier: Apache-2.0
#include "timespanmarks.h"

#include <QBrush>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QPen>

namespace vigil::widgets {

namespace {
constexpr double kPad = 3;
} // namespace

TimeSpanMarks::TimeSpanMarks(QGraphicsScene *scene)
    : m_scene(scene) {}

void TimeSpanMarks::setSpans(const QList<TimeSpan> &spans) {
    m_spans = spans;
    while (m_marks.size() < std::size_t(spans.size())) {
        Mark mark{m_scene->addRect({}, Qt::NoPen), new QGraphicsSimpleTextItem};
        // Over the chart (a translucent tint, so the lines show through), under the cursor.
        mark.band->setZValue(1);
        mark.text->setZValue(80);
        m_scene->addItem(mark.text);
        m_marks.push_back(mark);
    }
    for (std::size_t i = 0; i < m_marks.size(); ++i) {
        const bool used = i < std::size_t(spans.size());
        m_marks[i].band->setVisible(false);
        m_marks[i].text->setVisible(false);
        if (!used)
            continue;
        QColor fill = spans[qsizetype(i)].color;
        fill.setAlpha(50);
        m_marks[i].band->setBrush(fill);
        m_marks[i].text->setText(spans[qsizetype(i)].label);
        m_marks[i].text->setBrush(spans[qsizetype(i)].color.darker(160));
    }
}

void TimeSpanMarks::place(const QRectF &plotArea, const std::function<double(double)> &xOf) {
    for (qsizetype i = 0; i < m_spans.size(); ++i) {
        const Mark &mark = m_marks[std::size_t(i)];
        const double from = xOf(double(m_spans[i].fromMs));
        const double to = xOf(double(m_spans[i].toMs));
        const double left = std::max(plotArea.left(), from);
        // A span shorter than a pixel still shows, as a 2 px band.
        const double right = std::min(plotArea.right(), std::max(to, left + 2));
        const bool visible =
            plotArea.isValid() && to >= plotArea.left() && from <= plotArea.right() && right > left;
        mark.band->setVisible(visible);
        if (!visible) {
            mark.text->setVisible(false);
            continue;
        }
        mark.band->setRect(QRectF(left, plotArea.top(), right - left, plotArea.height()));
        // The label starts inside the band, or ends at the plot's edge when the band is near
        // "now"; neighbouring spans (the demo's two halves) take alternate rows.
        const QSizeF size = mark.text->boundingRect().size();
        const double x = std::min(left + kPad, plotArea.right() - size.width() - kPad);
        const double row = double(i % 2) + 1;
        const QPointF at(x, plotArea.bottom() - row * (size.height() + kPad));
        mark.text->setPos(at);
        mark.text->setVisible(x >= plotArea.left());
    }
}

QList<QRectF> TimeSpanMarks::shownBands() const {
    QList<QRectF> bands;
    for (std::size_t i = 0; i < std::size_t(m_spans.size()); ++i) {
        if (m_marks[i].band->isVisible())
            bands << m_marks[i].band->rect();
    }
    return bands;
}

QStringList TimeSpanMarks::shownLabels() const {
    QStringList labels;
    for (std::size_t i = 0; i < std::size_t(m_spans.size()); ++i) {
        if (m_marks[i].text->isVisible())
            labels << m_marks[i].text->text();
    }
    return labels;
}

} // namespace vigil::widgets
