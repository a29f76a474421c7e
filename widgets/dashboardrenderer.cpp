// SPDX-License-Identifier: Apache-2.0
#include "dashboardrenderer.h"

#include "chartpanel.h"

#include "async/clock.h"
#include "async/settle.h"
#include "sensors/decimation.h"
#include "sensors/sensorhub.h"

namespace vigil::widgets {

struct DashboardRenderer::Frame {
    quint64 generation = 0;
    qint64 snapshotNs = 0; ///< GUI-thread time spent taking the snapshots
    qint64 from = 0;
    qint64 to = 0;
    std::vector<std::pair<int, int>> slots; ///< (panel index, series index) per job
    std::vector<sensors::DecimationJob> jobs;
};

namespace {
QList<QPointF> rawPoints(const sensors::History &history, qint64 from, qint64 to) {
    QList<QPointF> out;
    for (const auto &s : history.samples(from, to))
        out << QPointF(double(s.t), s.v);
    return out;
}

/// True when some of @p widget is inside every parent's rect (not scrolled out of sight).
/// visibleRegion() would not do: it leaves out opaque children, and a chart's viewport is one.
bool onScreen(const QWidget &widget) {
    QRect r = widget.rect();
    const QWidget *w = &widget;
    while (!w->isWindow() && w->parentWidget() != nullptr) {
        r.translate(w->pos());
        w = w->parentWidget();
        r &= w->rect();
        if (r.isEmpty())
            return false;
    }
    return true;
}

/// After a frame of T ms the renderer leaves the loop alone for T / kRestDivisor: drawing takes
/// at most two thirds of the GUI thread, however slow the frames. A frame shorter than two thirds
/// of the tick still lands on every tick.
constexpr qint64 kRestDivisor = 2;
} // namespace

DashboardRenderer::DashboardRenderer(sensors::SensorHub &hub, async::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_clock(clock) {
    // 60 Hz so a scroll step lands close to when its pixel is due; a tick with nothing due only
    // compares a few numbers.
    m_tick.setInterval(16);
    m_tick.setTimerType(Qt::PreciseTimer);
    connect(&m_tick, &QTimer::timeout, this, &DashboardRenderer::tick);
    m_restEnd.setSingleShot(true);
    m_restEnd.setTimerType(Qt::PreciseTimer);
    connect(&m_restEnd, &QTimer::timeout, this, &DashboardRenderer::tick);
    connect(&m_hub, &sensors::SensorHub::readingAdded, this, &DashboardRenderer::onReading);
    m_sinceFrame.start();
    if (parent != nullptr)
        parent->installEventFilter(this);
}

bool DashboardRenderer::eventFilter(QObject *watched, QEvent *event) {
    // Charts behind another tab or in a hidden window are not drawn at all. Look once the change
    // has taken effect: a show event comes before the widget is visible.
    if (event->type() == QEvent::Show || event->type() == QEvent::Hide)
        QMetaObject::invokeMethod(this, &DashboardRenderer::updateVisibility, Qt::QueuedConnection);
    return QObject::eventFilter(watched, event);
}

void DashboardRenderer::setPanels(const QList<QPair<ChartPanel *, QStringList>> &panels) {
    ++m_generation;
    m_panels.clear();
    m_drawnIds.clear();
    for (const auto &[panel, ids] : panels) {
        m_panels.append({QPointer<ChartPanel>(panel), ids});
        for (const auto &id : ids)
            m_drawnIds.insert(id);
    }
    m_dirty = true;
    // The new panels may not be shown yet: look once the loop has laid them out.
    QMetaObject::invokeMethod(this, &DashboardRenderer::updateVisibility, Qt::QueuedConnection);
}

void DashboardRenderer::setWindow(std::chrono::milliseconds window) {
    if (window != m_window)
        m_dirty = true;
    m_window = window;
}

void DashboardRenderer::setPaused(bool paused) {
    if (m_paused && !paused)
        m_dirty = true; // catch up with what was recorded meanwhile
    m_paused = paused;
}

void DashboardRenderer::onReading(const QString &id, const sensors::Reading &) {
    if (!m_newData && m_drawnIds.contains(id))
        m_newData = true;
}

bool DashboardRenderer::isDrawable() const {
    for (const auto &entry : m_panels) {
        const QWidget *panel = entry.first.data();
        if (panel == nullptr)
            continue;
        if (panel->isVisible() && !panel->window()->isMinimized())
            return true;
    }
    return false;
}

void DashboardRenderer::updateVisibility() {
    if (isDrawable()) {
        if (!m_tick.isActive())
            m_tick.start();
    } else {
        m_tick.stop();
    }
}

int DashboardRenderer::plotWidth() const {
    const std::vector<int> all = widths(true);
    const auto widest = std::max_element(all.begin(), all.end());
    return widest == all.end() || *widest <= 1 ? 800 : *widest;
}

std::vector<int> DashboardRenderer::widths(bool plot) const {
    std::vector<int> out;
    out.reserve(std::size_t(m_panels.size()));
    for (const auto &entry : m_panels) {
        const ChartPanel *panel = entry.first.data();
        out.push_back(panel == nullptr ? 0 : plot ? panel->plotWidth() : panel->width());
    }
    return out;
}

bool DashboardRenderer::frameDue(qint64 nowMs) const {
    // A chart resized redraws; its plot area narrowing for wider axis labels (new data did that)
    // does not, or every reading would cost two frames.
    if (m_dirty || widths(false) != m_lastPanelWidths)
        return true;
    // The time axis moved when the widest chart's right edge has gone on by a whole pixel. A new
    // reading lands in the rightmost pixel column, so it waits for that pixel's step (bounded by
    // m_maxDataDelayMs on long windows): readings at different moments cost one frame, not one
    // each.
    const auto plot = widths(true);
    const int widest = std::max(1, *std::max_element(plot.begin(), plot.end()));
    const qint64 sinceFrame = nowMs - m_lastTo;
    if (sinceFrame * widest >= m_window.count())
        return true;
    return m_newData && sinceFrame >= m_maxDataDelayMs;
}

bool DashboardRenderer::tick() {
    if (m_busy)
        m_tickMissed = true;
    if (m_paused || m_panels.isEmpty() || !isDrawable())
        return false;
    if (m_newData && !std::exchange(m_newDataCounted, true))
        ++m_dataSteps;
    if (m_busy)
        return false;
    const qint64 restLeftNs = m_restNs - m_sinceFrame.nsecsElapsed();
    if (restLeftNs > 0) {
        // The last frame was long: leave the loop to polling for a while, then look again as
        // soon as the rest is over (waiting for the next tick would cost up to a whole tick).
        if (!m_restEnd.isActive())
            m_restEnd.start(int((restLeftNs + 999'999) / 1'000'000));
        return false;
    }
    const qint64 now = m_clock.wallNow().toMSecsSinceEpoch();
    if (!frameDue(now))
        return false;
    startFrame(now);
    return true;
}

std::shared_ptr<DashboardRenderer::Frame> DashboardRenderer::snapshotFrame(qint64 nowMs,
                                                                           bool everyPanel) {
    QElapsedTimer snapshotTime;
    snapshotTime.start();
    ++m_started;
    m_dirty = false;
    m_newData = false;
    m_newDataCounted = false;
    m_lastTo = nowMs;
    m_lastPanelWidths = widths(false);
    const auto plotWidths = widths(true);
    auto frame = std::make_shared<Frame>();
    frame->generation = m_generation;
    frame->to = nowMs;
    frame->from = frame->to - m_window.count();
    for (qsizetype p = 0; p < m_panels.size(); ++p) {
        const auto &[panel, ids] = m_panels[p];
        const QWidget *chart = panel.data();
        // A chart scrolled out of sight is not drawn; scrolling back asks for a frame.
        if (chart == nullptr || (!everyPanel && !onScreen(*chart)))
            continue;
        for (qsizetype i = 0; i < ids.size(); ++i) {
            if (!m_hub.contains(ids[i]))
                continue;
            frame->slots.emplace_back(int(p), int(i));
            frame->jobs.push_back({m_hub.history(ids[i]).snapshot(frame->from, frame->to),
                                   frame->from, frame->to, plotWidths[std::size_t(p)]});
        }
    }
    frame->snapshotNs = snapshotTime.nsecsElapsed();
    return frame;
}

qint64 DashboardRenderer::shownTo() const {
    // Paused, an export at "now" would move the charts away from what the user paused on and
    // show readings that came since.
    return m_paused && m_lastTo > 0 ? m_lastTo : m_clock.wallNow().toMSecsSinceEpoch();
}

void DashboardRenderer::renderNow() {
    ++m_generation; // a frame still on the pool would be older than this one
    const auto frame = snapshotFrame(shownTo(), true);
    std::vector<QList<QPointF>> series;
    for (const auto &job : frame->jobs)
        series.push_back(sensors::decimate(job.snapshot, job.from, job.to, job.columns));
    applyFrame(*frame, series);
}

void DashboardRenderer::startFrame(qint64 nowMs) {
    const auto frame = snapshotFrame(nowMs, false);
    if (m_naive) {
        // The baseline the benchmark compares with: every sample, on the GUI thread.
        std::vector<QList<QPointF>> series;
        for (const auto &[p, i] : frame->slots)
            series.push_back(
                rawPoints(m_hub.history(m_panels[p].second[i]), frame->from, frame->to));
        applyFrame(*frame, series);
        return;
    }
    m_busy = true;
    auto decimation = sensors::decimateOnPool(std::move(frame->jobs));
    QPointer<DashboardRenderer> self(this);
    std::function<void(async::Outcome<std::vector<QList<QPointF>>>)> done =
        [self, frame](async::Outcome<std::vector<QList<QPointF>>> outcome) {
            DashboardRenderer *renderer = self.data();
            if (!renderer)
                return; // the view went away while the pool was decimating
            renderer->m_busy = false;
            if (outcome.isOk())
                renderer->applyFrame(*frame, outcome.value());
        };
    async::observe(std::move(decimation), done);
}

void DashboardRenderer::applyFrame(const Frame &frame, const std::vector<QList<QPointF>> &series) {
    if (frame.generation != m_generation) {
        m_dirty = true;
        return; // the layout changed while this frame was decimated
    }
    QElapsedTimer gui;
    gui.start();
    for (std::size_t j = 0; j < frame.slots.size(); ++j) {
        const auto [p, i] = frame.slots[j];
        const auto &[panel, ids] = m_panels[p];
        if (!panel)
            continue;
        panel->setData(i, series[j], frame.from, frame.to);
        if (i == 0) {
            auto level = sensors::AlarmLevel::Normal;
            for (const auto &id : ids) {
                if (m_hub.contains(id))
                    level = std::max(level, m_hub.stats(id).level);
            }
            panel->setLevel(level);
        }
    }
    for (const auto &[panel, ids] : m_panels) {
        if (!panel)
            continue;
        if (m_syncRepaint)
            panel->viewport()->repaint();
        else
            panel->viewport()->update();
    }
    const qint64 guiNs = gui.nsecsElapsed() + frame.snapshotNs;
    m_restNs = guiNs / kRestDivisor;
    m_sinceFrame.restart();
    const double ms = double(guiNs) / 1e6;
    m_frameMs.add(ms);
    ++m_frames;
    Q_EMIT frameRendered(ms);
    if (std::exchange(m_tickMissed, false))
        QTimer::singleShot(0, this, &DashboardRenderer::tick);
}

} // namespace vigil::widgets
