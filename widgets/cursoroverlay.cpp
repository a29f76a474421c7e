// SPDX-License-Identifier: Apache-2.0
#include "cursoroverlay.h"

#include <QBrush>
#include <QGraphicsEllipseItem>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QPen>

namespace vigil::widgets {

namespace {
constexpr double kPad = 4;
constexpr double kMarkerRadius = 4;
} // namespace

CursorOverlay::CursorOverlay(QGraphicsScene *scene)
    : m_scene(scene)
    , m_line(scene->addLine({}, QPen(QColor(0x60, 0x60, 0x60), 1, Qt::DashLine)))
    , m_box(scene->addRect({}, QPen(QColor(0xb0, 0xb0, 0xb0)), QColor(255, 255, 255, 230)))
    , m_text(new QGraphicsSimpleTextItem) {
    m_line->setZValue(90);
    m_box->setZValue(99);
    m_text->setZValue(100);
    m_text->setBrush(QColor(0x20, 0x20, 0x20));
    scene->addItem(m_text);
    hide();
}

void CursorOverlay::show(const QRectF &plotArea, double x, const QList<Marker> &markers,
                         const QString &text) {
    m_line->setLine(x, plotArea.top(), x, plotArea.bottom());
    m_line->setVisible(x >= plotArea.left() && x <= plotArea.right());
    while (m_markers.size() < std::size_t(markers.size())) {
        auto *dot = m_scene->addEllipse(-kMarkerRadius, -kMarkerRadius, 2 * kMarkerRadius,
                                        2 * kMarkerRadius);
        dot->setZValue(95);
        m_markers.push_back(dot);
    }
    for (std::size_t i = 0; i < m_markers.size(); ++i) {
        const bool used = i < std::size_t(markers.size());
        m_markers[i]->setVisible(used && plotArea.contains(markers[qsizetype(i)].pos));
        if (!used)
            continue;
        m_markers[i]->setPos(markers[qsizetype(i)].pos);
        m_markers[i]->setBrush(markers[qsizetype(i)].color);
        m_markers[i]->setPen(QPen(Qt::white, 1.5));
    }
    m_text->setText(text);
    const QSizeF size = m_text->boundingRect().size() + QSizeF(2 * kPad, 2 * kPad);
    // Beside the crosshair, on the side with room, so that it never hides the line; when the
    // plot is too narrow for either side, on the wider side against the edge.
    const double gap = 2 * kPad;
    double left = x + gap;
    if (left + size.width() > plotArea.right()) {
        const double before = x - gap - size.width();
        left = before >= plotArea.left() ? before
               : x - plotArea.left() > plotArea.right() - x
                   ? plotArea.left() + kPad
                   : plotArea.right() - size.width() - kPad;
    }
    const QPointF corner(left, plotArea.top() + kPad);
    m_box->setRect(QRectF(corner, size));
    m_text->setPos(corner + QPointF(kPad, kPad));
    m_box->setVisible(!text.isEmpty());
    m_text->setVisible(!text.isEmpty());
}

void CursorOverlay::hide() {
    m_line->setVisible(false);
    m_box->setVisible(false);
    m_text->setVisible(false);
    m_text->setText({});
    for (auto *dot : m_markers)
        dot->setVisible(false);
}

bool CursorOverlay::isShown() const {
    return m_line->isVisible();
}

qsizetype CursorOverlay::markersShown() const {
    return std::count_if(m_markers.begin(), m_markers.end(),
                         [](const QGraphicsEllipseItem *dot) { return dot->isVisible(); });
}

double CursorOverlay::crosshairX() const {
    return m_line->line().x1();
}

QRectF CursorOverlay::readoutBackground() const {
    return m_box->isVisible() ? m_box->rect() : QRectF();
}

QRectF CursorOverlay::readoutText() const {
    return m_text->isVisible() ? m_text->sceneBoundingRect() : QRectF();
}

} // namespace vigil::widgets
