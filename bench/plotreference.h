// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QImage>
#include <QList>
#include <QPointF>

#include <vector>

namespace vigil::sensors {
class History;
class SensorHub;
} // namespace vigil::sensors
namespace vigil::widgets {
class ChartPanel;
}

namespace vigil::bench {

/// Bytes a History holds: every sealed chunk's sample and envelope arrays at their capacity, the
/// chunk object, its shared_ptr control block and its slot in the chunk list, plus the open tail
/// at the kSize capacity History always reserves for it, plus the History itself.
[[nodiscard]] qint64 heldBytes(const sensors::History &history);

/// @brief The plot benchmark's floor: the charts' decimated points, grid lines and label count
/// drawn with plain QPainter into one QImage per chart, of the chart's size.
class PlotReference {
public:
    /// Takes the panels' current sizes, plot areas, series and labels from @p panels.
    PlotReference(const QList<widgets::ChartPanel *> &panels, const sensors::SensorHub &hub);
    /// Decimates every series over [from, to] to its chart's width (not timed), then draws every
    /// chart and returns the drawing time in ms.
    double drawFrame(qint64 from, qint64 to);
    [[nodiscard]] const QImage &image(int chart) const {
        return m_charts[std::size_t(chart)].image;
    }

private:
    struct Chart {
        QImage image;
        QRectF plot;
        QColor background;
        QStringList ids;
        QList<QColor> colors;
        QStringList labels; ///< as many strings as the chart draws
        int xTicks = 0;
        QList<int> yTicks;
        std::vector<QList<QPointF>> points;
    };
    void draw(Chart &chart, qint64 from, qint64 to) const;

    const sensors::SensorHub &m_hub;
    std::vector<Chart> m_charts;
};

} // namespace vigil::bench
