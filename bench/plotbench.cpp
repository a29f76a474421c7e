// SPDX-License-Identifier: Apache-2.0
#include "plotbench.h"

#include "plotreference.h"

#include "chartpanel.h"
#include "dashboardrenderer.h"
#include "dashboardview.h"

#include "async/clock.h"
#include "async/lagstats.h"
#include "async/looplagprobe.h"
#include "async/sleep.h"
#include "dashboard/monitoringsession.h"
#include "sensors/sensorhub.h"

#include <QDateTime>
#include <QElapsedTimer>

#include <cmath>

namespace vigil::bench {

QString PlotBenchResult::summaryLine() const {
    return QStringLiteral("bench-plot series=%1 points=%2 frame_p50_ms=%3 frame_p95_ms=%4 fps=%5 "
                          "loop_lag_p99_ms=%6 reference_frame_p50_ms=%7 ratio_p50=%8 "
                          "bytes_per_point=%9 charts=%10 data_steps_per_s=%11%12")
        .arg(series)
        .arg(points)
        .arg(frameP50Ms, 0, 'f', 2)
        .arg(frameP95Ms, 0, 'f', 2)
        .arg(fps, 0, 'f', 1)
        .arg(loopLagP99Ms, 0, 'f', 2)
        .arg(referenceP50Ms, 0, 'f', 2)
        .arg(referenceP50Ms > 0 ? frameP50Ms / referenceP50Ms : 0.0, 0, 'f', 2)
        .arg(bytesPerPoint, 0, 'f', 1)
        .arg(charts)
        .arg(dataStepsPerS, 0, 'f', 1)
        .arg(naive ? QStringLiteral(" mode=naive") : QString());
}

namespace {
/// The floor, in the same process right after the measured run: as many frames as fit in a
/// third of it (at least 30), each after a turn of the event loop so that streaming goes on.
QCoro::Task<double> measureReference(const widgets::DashboardView &view,
                                     const sensors::SensorHub &hub, async::Clock &clock,
                                     std::chrono::milliseconds window, int seconds) {
    using namespace std::chrono_literals;
    PlotReference reference(view.panels(), hub);
    async::LagStats times(2000);
    QElapsedTimer elapsed;
    elapsed.start();
    while (times.count() < 30 || elapsed.elapsed() < seconds * 1000 / 3) {
        const qint64 to = clock.wallNow().toMSecsSinceEpoch();
        times.add(reference.drawFrame(to - window.count(), to));
        co_await async::sleepFor(clock, 1ms);
    }
    co_return times.percentile(50);
}
} // namespace

QCoro::Task<PlotBenchResult> runPlotBench(PlotBenchOptions o) {
    using namespace std::chrono_literals;
    auto &clock = async::Clock::system();
    dashboard::MonitoringSession session(clock);
    dashboard::DashboardConfig config;
    config.windowS = 3600;
    const int intervalMs = std::max(1, int(std::lround(1000.0 / o.rateHz)));
    for (int i = 0; i < o.series; ++i) {
        dashboard::SensorConfig s;
        s.type = QStringLiteral("simulated");
        s.name = QStringLiteral("Series_%1").arg(i + 1, 2, 10, QLatin1Char('0'));
        s.unit = QStringLiteral("u");
        s.setpoint = 10.0 * i;
        s.sigma = 1;
        s.latencyMs = 0;
        s.latencyMaxMs = 0;
        s.intervalMs = intervalMs;
        s.timeoutMs = 1000;
        s.seed = quint32(100 + i);
        config.sensors << s;
    }
    const int charts = o.charts > 0 ? std::min(o.charts, o.series) : o.series;
    for (int c = 0; c < charts; ++c) {
        QStringList ids; // series c, c + charts, ...: an even share per chart
        for (int i = c; i < o.series; i += charts)
            ids << config.sensors[i].id();
        config.charts << ids;
    }
    // The window shows the whole pre-filled history: that is what makes it hard.
    session.hub().setRetention(std::chrono::seconds(o.historyS + o.seconds + 60));
    auto applying = session.apply(config);
    co_await applying;
    const qint64 now = clock.wallNow().toMSecsSinceEpoch();
    const qint64 step = intervalMs;
    for (int i = 0; i < o.series; ++i) {
        auto &history = session.hub().mutableHistory(config.sensors[i].id());
        history.clear();
        for (qint64 t = now - qint64(o.historyS) * 1000; t < now; t += step)
            history.append(t, 10.0 * i + std::sin(double(t) / 20000.0 + i) * 3.0);
    }

    widgets::DashboardView view(session);
    view.resize(1600, 1000);
    view.show();
    view.renderer().setWindow(std::chrono::seconds(o.historyS));
    view.renderer().setNaive(o.naive);
    view.renderer().setSynchronousRepaint(true);
    view.renderer().setMaxDataDelay(std::chrono::milliseconds(0));
    async::LoopLagProbe probe(5ms, 20000);
    probe.start();
    co_await async::sleepFor(clock, 1s); // layout settles, first frames drawn
    view.renderer().resetFrameTimes();
    probe.reset();
    co_await async::sleepFor(clock, std::chrono::seconds(o.seconds));

    PlotBenchResult r;
    r.series = o.series;
    r.charts = charts;
    r.naive = o.naive;
    qint64 bytes = 0;
    for (const auto &id : session.hub().ids()) {
        r.points += qint64(session.hub().history(id).size());
        bytes += heldBytes(session.hub().history(id));
    }
    r.bytesPerPoint = r.points > 0 ? double(bytes) / double(r.points) : 0;
    r.frameP50Ms = view.renderer().frameTimes().percentile(50);
    r.frameP95Ms = view.renderer().frameTimes().percentile(95);
    r.fps = double(view.renderer().framesRendered()) / o.seconds;
    r.dataStepsPerS = double(view.renderer().dataSteps()) / o.seconds;
    r.loopLagP99Ms = probe.p99Ms();
    view.renderer().setPaused(true); // the reference gets the GUI thread to itself
    const auto window = view.renderer().window();
    auto referencing = measureReference(view, session.hub(), clock, window, o.seconds);
    r.referenceP50Ms = co_await referencing;
    auto shutdown = session.shutdown();
    co_await shutdown;
    co_return r;
}

} // namespace vigil::bench
