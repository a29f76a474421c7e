// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QColor>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <vector>

class QGraphicsEllipseItem;
class QGraphicsLineItem;
class QGraphicsRectItem;
class QGraphicsScene;
class QGraphicsSimpleTextItem;

namespace vigil::widgets {

/// @brief A chart's cursor: a vertical crosshair, a marker on each series' point under it, and
/// the readout on a background of its own, placed where it does not cover the crosshair.
///
/// The items belong to the scene; all coordinates are scene coordinates.
class CursorOverlay {
public:
    /// @brief One series' point under the cursor.
    struct Marker {
        QPointF pos;
        QColor color;
    };

    explicit CursorOverlay(QGraphicsScene *scene);

    void show(const QRectF &plotArea, double x, const QList<Marker> &markers, const QString &text);
    void hide();

    [[nodiscard]] bool isShown() const;
    [[nodiscard]] qsizetype markersShown() const;
    /// The crosshair's x in the scene.
    [[nodiscard]] double crosshairX() const;
    [[nodiscard]] QRectF readoutBackground() const;
    [[nodiscard]] QRectF readoutText() const;

private:
    QGraphicsScene *m_scene;
    QGraphicsLineItem *m_line;
    QGraphicsRectItem *m_box;
    QGraphicsSimpleTextItem *m_text;
    std::vector<QGraphicsEllipseItem *> m_markers;
};

} // namespace vigil::widgets
