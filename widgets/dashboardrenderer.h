// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "async/lagstats.h"

#include <QList>
#include <QObject>
#include <QPointF>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <vector>

namespace vigil::async {
class Clock;
}
namespace vigil::sensors {
class SensorHub;
}

namespace vigil::widgets {

class ChartPanel;

/// @brief The UI tick: at most 30 times a second, every visible series is decimated to its
/// panel's pixel width on the compute pool and then drawn with one replace() per line.
///
/// Data arriving never redraws anything by itself. Pausing freezes the view while the hub goes on
/// recording. A tick that finds the previous one still decimating is skipped, not queued.
class DashboardRenderer : public QObject {
    Q_OBJECT
public:
    DashboardRenderer(sensors::SensorHub &hub, async::Clock &clock, QObject *parent = nullptr);

    /// The panels to draw, each with the sensor ids of its series in order.
    void setPanels(const QList<QPair<ChartPanel *, QStringList>> &panels);
    void setWindow(std::chrono::milliseconds window) { m_window = window; }
    [[nodiscard]] std::chrono::milliseconds window() const { return m_window; }
    void setPaused(bool paused) { m_paused = paused; }
    [[nodiscard]] bool isPaused() const { return m_paused; }

    /// Benchmark switches: draw full histories undecimated (the naive way), and repaint the
    /// charts inside the tick so their cost counts in the frame time.
    void setNaive(bool naive) { m_naive = naive; }
    void setSynchronousRepaint(bool on) { m_syncRepaint = on; }

    [[nodiscard]] const async::LagStats &frameTimes() const { return m_frameMs; }
    void resetFrameTimes() {
        m_frameMs.clear();
        m_frames = 0;
    }
    [[nodiscard]] qint64 framesRendered() const { return m_frames; }

Q_SIGNALS:
    /// A frame was drawn; @p guiMs is the GUI-thread time it took.
    void frameRendered(double guiMs);

private:
    struct Frame;
    void tick();
    void applyFrame(const Frame &frame, const std::vector<QList<QPointF>> &series);

    sensors::SensorHub &m_hub;
    async::Clock &m_clock;
    QList<QPair<QPointer<ChartPanel>, QStringList>> m_panels;
    std::chrono::milliseconds m_window{60000};
    QTimer m_tick;
    quint64 m_generation = 0; ///< bumped by setPanels; a frame from an older layout is dropped
    bool m_paused = false;
    bool m_busy = false;
    bool m_tickMissed = false; ///< a tick came while busy: run it as soon as this frame lands
    bool m_naive = false;
    bool m_syncRepaint = false;
    async::LagStats m_frameMs{2000};
    qint64 m_frames = 0;
};

} // namespace vigil::widgets
