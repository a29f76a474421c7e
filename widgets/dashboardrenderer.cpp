// SPDX-License-Identifier: Apache-2.0
#include "dashboardrenderer.h"

#include "chartpanel.h"

#include "async/clock.h"
#include "async/settle.h"
#include "sensors/decimation.h"
#include "sensors/sensorhub.h"

#include <QElapsedTimer>

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
} // namespace

DashboardRenderer::DashboardRenderer(sensors::SensorHub &hub, async::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_clock(clock) {
    m_tick.setInterval(30); // 33 Hz: headroom over 30 fps without crowding the loop
    m_tick.setTimerType(Qt::PreciseTimer);
    connect(&m_tick, &QTimer::timeout, this, &DashboardRenderer::tick);
    m_tick.start();
}

void DashboardRenderer::setPanels(const QList<QPair<ChartPanel *, QStringList>> &panels) {
    ++m_generation;
    m_panels.clear();
    for (const auto &[panel, ids] : panels)
        m_panels.append({QPointer<ChartPanel>(panel), ids});
}

void DashboardRenderer::tick() {
    if (m_busy)
        m_tickMissed = true;
    if (m_paused || m_busy || m_panels.isEmpty())
        return;
    QElapsedTimer snapshotTime;
    snapshotTime.start();
    auto frame = std::make_shared<Frame>();
    frame->generation = m_generation;
    frame->to = m_clock.wallNow().toMSecsSinceEpoch();
    frame->from = frame->to - m_window.count();
    for (qsizetype p = 0; p < m_panels.size(); ++p) {
        const auto &[panel, ids] = m_panels[p];
        if (!panel)
            continue;
        for (qsizetype i = 0; i < ids.size(); ++i) {
            if (!m_hub.contains(ids[i]))
                continue;
            frame->slots.emplace_back(int(p), int(i));
            frame->jobs.push_back({m_hub.history(ids[i]).snapshot(frame->from, frame->to),
                                   frame->from, frame->to, panel->plotWidth()});
        }
    }
    frame->snapshotNs = snapshotTime.nsecsElapsed();
    m_busy = true;
    if (m_naive) {
        // The baseline the benchmark compares with: every sample, on the GUI thread.
        std::vector<QList<QPointF>> series;
        for (const auto &[p, i] : frame->slots)
            series.push_back(
                rawPoints(m_hub.history(m_panels[p].second[i]), frame->from, frame->to));
        applyFrame(*frame, series);
        return;
    }
    auto decimation = sensors::decimateOnPool(std::move(frame->jobs));
    QPointer<DashboardRenderer> self(this);
    std::function<void(async::Outcome<std::vector<QList<QPointF>>>)> done =
        [self, frame](async::Outcome<std::vector<QList<QPointF>>> outcome) {
            DashboardRenderer *renderer = self.data();
            if (!renderer)
                return; // the view went away while the pool was decimating
            if (outcome.isOk())
                renderer->applyFrame(*frame, outcome.value());
            else
                renderer->m_busy = false;
        };
    async::observe(std::move(decimation), done);
}

void DashboardRenderer::applyFrame(const Frame &frame, const std::vector<QList<QPointF>> &series) {
    m_busy = false;
    if (frame.generation != m_generation)
        return; // the layout changed while this frame was decimated
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
    const double ms = double(gui.nsecsElapsed() + frame.snapshotNs) / 1e6;
    m_frameMs.add(ms);
    ++m_frames;
    Q_EMIT frameRendered(ms);
    if (std::exchange(m_tickMissed, false))
        QTimer::singleShot(0, this, &DashboardRenderer::tick);
}

} // namespace vigil::widgets
