// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "async/lagstats.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <memory>
#include <vector>

namespace vigil::async {
class Clock;
}
namespace vigil::sensors {
class SensorHub;
struct Reading;
} // namespace vigil::sensors

namespace vigil::widgets {

class ChartPanel;

/// @brief The UI tick: draws a frame only when something visible changed, decimating every shown
/// series to its panel's pixel width on the compute pool and drawing it with one replace() per
/// line.
///
/// A frame is due when the time axis has moved by at least one pixel of the widest chart (new
/// readings are drawn with that step, or after a second on windows whose pixel is longer), or at
/// once when the layout, a chart's size, the window or the marks changed.
/// Most ticks find nothing due and cost a few comparisons. Nothing is drawn while no chart can be
/// seen (another tab, a hidden or minimized window): the timer stops, and showing draws one frame
/// that catches up. Pausing freezes the view while the hub goes on recording. A tick that finds
/// the previous frame still decimating is skipped, not queued, and after a frame the renderer
/// waits half as long as that frame took, so drawing never takes more than two thirds of the GUI
/// thread from polling.
class DashboardRenderer : public QObject {
    Q_OBJECT
public:
    DashboardRenderer(sensors::SensorHub &hub, async::Clock &clock, QObject *parent = nullptr);

    /// The panels to draw, each with the sensor ids of its series in order.
    void setPanels(const QList<QPair<ChartPanel *, QStringList>> &panels);
    void setWindow(std::chrono::milliseconds window);
    [[nodiscard]] std::chrono::milliseconds window() const { return m_window; }
    void setPaused(bool paused);
    [[nodiscard]] bool isPaused() const { return m_paused; }
    /// Something drawn changed that the renderer cannot see (thresholds, time-span marks): the
    /// next tick draws.
    void requestFrame() { m_dirty = true; }
    /// The widest chart's plot area in pixels (800 before any is laid out): the resolution a
    /// backfill from Prometheus asks for.
    [[nodiscard]] int plotWidth() const;
    /// Re-reads whether any chart can be seen, starting or stopping the tick. Runs when the parent
    /// widget (the view) is shown or hidden; the main window calls it when minimized or restored.
    void updateVisibility();
    /// True when some chart is shown in a window that is not minimized.
    [[nodiscard]] bool isDrawable() const;
    /// What the timer runs: starts a frame if one is due. True if it started one.
    bool tick();
    /// Draws every chart now, on this thread, visible or not: for an export. Paused, it draws
    /// the window the charts were paused on.
    void renderNow();
    /// The right edge of what the charts show: now, or where they were paused.
    [[nodiscard]] qint64 shownTo() const;

    /// Benchmark switches: draw full histories undecimated (the naive way), and repaint the
    /// charts inside the tick so their cost counts in the frame time.
    void setNaive(bool naive) { m_naive = naive; }
    void setSynchronousRepaint(bool on) { m_syncRepaint = on; }
    /// The longest a reading waits for its pixel's step before it is drawn (1 s; the plot
    /// benchmark sets 0 to draw every tick that brings data, measuring what drawing can sustain).
    void setMaxDataDelay(std::chrono::milliseconds delay) { m_maxDataDelayMs = delay.count(); }
    /// The UI tick (16 ms); tests lengthen it to see what runs between ticks.
    void setTickInterval(std::chrono::milliseconds interval) { m_tick.setInterval(interval); }

    [[nodiscard]] const async::LagStats &frameTimes() const { return m_frameMs; }
    void resetFrameTimes() {
        m_frameMs.clear();
        m_frames = 0;
        m_dataSteps = 0;
    }
    [[nodiscard]] qint64 framesRendered() const { return m_frames; }
    /// Frames begun (snapshots taken): counted at once, before the pool decimates.
    [[nodiscard]] qint64 framesStarted() const { return m_started; }
    /// Ticks that found new readings to draw, each batch of readings counted once: the most
    /// frames that new data alone can ask for (sensors sampled in step give one per sample).
    [[nodiscard]] qint64 dataSteps() const { return m_dataSteps; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    /// A frame was drawn; @p guiMs is the GUI-thread time it took.
    void frameRendered(double guiMs);

private:
    struct Frame;
    [[nodiscard]] bool frameDue(qint64 nowMs) const;
    /// Per panel: its plot area's width if @p plot, else the whole chart's.
    [[nodiscard]] std::vector<int> widths(bool plot) const;
    /// Takes the snapshots of a frame: of the charts on screen, or of @p everyPanel.
    std::shared_ptr<Frame> snapshotFrame(qint64 nowMs, bool everyPanel);
    void startFrame(qint64 nowMs);
    void applyFrame(const Frame &frame, const std::vector<QList<QPointF>> &series);
    void onReading(const QString &id, const sensors::Reading &reading);

    sensors::SensorHub &m_hub;
    async::Clock &m_clock;
    QList<QPair<QPointer<ChartPanel>, QStringList>> m_panels;
    QSet<QString> m_drawnIds;
    std::chrono::milliseconds m_window{60000};
    QTimer m_tick;
    QTimer m_restEnd; ///< a frame asked for during the rest starts when it ends, not a tick later
    quint64 m_generation = 0; ///< bumped by setPanels; a frame from an older layout is dropped
    qint64 m_maxDataDelayMs = 1000;
    bool m_dirty = true;           ///< a change to draw at once: layout, window, marks, resume
    bool m_newData = false;        ///< a drawn series got a reading since the last frame
    bool m_newDataCounted = false; ///< the pending readings are counted in m_dataSteps
    qint64 m_lastTo = 0;           ///< the right edge of the last frame
    std::vector<int> m_lastPanelWidths;
    QElapsedTimer m_sinceFrame; ///< since the last frame landed
    qint64 m_restNs = 0;        ///< how long to leave the loop alone after it
    bool m_paused = false;
    bool m_busy = false;
    bool m_tickMissed = false; ///< a tick came while busy: run it as soon as this frame lands
    bool m_naive = false;
    bool m_syncRepaint = true; ///< so the frame time, and the rest after it, count the painting
    async::LagStats m_frameMs{2000};
    qint64 m_frames = 0;
    qint64 m_started = 0;
    qint64 m_dataSteps = 0;
};

} // namespace vigil::widgets
