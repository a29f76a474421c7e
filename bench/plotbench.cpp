// SPDX-License-Identifier: Apache-2.0
#include "plotbench.h"

#include "dashboardrenderer.h"
#include "dashboardview.h"

#include "async/clock.h"
#include "async/looplagprobe.h"
#include "async/sleep.h"
#include "dashboard/monitoringsession.h"
#include "sensors/sensorhub.h"

#include <QDateTime>

#include <cmath>

namespace vigil::bench {

QString PlotBenchResult::summaryLine() const {
    return QStringLiteral("bench-plot series=%1 points=%2 frame_p50_ms=%3 frame_p95_ms=%4 fps=%5 "
                          "loop_lag_p99_ms=%6%7")
        .arg(series)
        .arg(points)
        .arg(frameP50Ms, 0, 'f', 2)
        .arg(frameP95Ms, 0, 'f', 2)
        .arg(fps, 0, 'f', 1)
        .arg(loopLagP99Ms, 0, 'f', 2)
        .arg(naive ? QStringLiteral(" mode=naive") : QString());
}

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
        config.charts << QStringList{s.id()};
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
    async::LoopLagProbe probe(5ms, 20000);
    probe.start();
    co_await async::sleepFor(clock, 1s); // layout settles, first frames drawn
    view.renderer().resetFrameTimes();
    probe.reset();
    co_await async::sleepFor(clock, std::chrono::seconds(o.seconds));

    PlotBenchResult r;
    r.series = o.series;
    r.naive = o.naive;
    for (const auto &id : session.hub().ids())
        r.points += qint64(session.hub().history(id).size());
    r.frameP50Ms = view.renderer().frameTimes().percentile(50);
    r.frameP95Ms = view.renderer().frameTimes().percentile(95);
    r.fps = double(view.renderer().framesRendered()) / o.seconds;
    r.loopLagP99Ms = probe.p99Ms();
    auto shutdown = session.shutdown();
    co_await shutdown;
    co_return r;
}

} // namespace vigil::bench
