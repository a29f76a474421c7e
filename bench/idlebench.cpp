// SPDX-License-Identifier: Apache-2.0
#include "idlebench.h"

#include "dashboardrenderer.h"
#include "dashboardview.h"
#include "mainwindow.h"

#include "async/clock.h"
#include "async/looplagprobe.h"
#include "async/sleep.h"
#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"
#include "sensors/sensorhub.h"
#include "util/processstats.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QTabWidget>
#include <QTemporaryDir>

#include <algorithm>

namespace vigil::bench {

namespace {
dashboard::DashboardConfig benchDashboard(const IdleBenchOptions &o) {
    dashboard::DashboardConfig config = dashboard::DashboardConfig::defaults();
    if (o.sensors > 0) {
        config.sensors.clear();
        config.charts.clear();
        for (int i = 0; i < o.sensors; ++i) {
            dashboard::SensorConfig s;
            s.type = QStringLiteral("simulated");
            s.name = QStringLiteral("Sensor_%1").arg(i + 1, 2, 10, QLatin1Char('0'));
            s.unit = QStringLiteral("u");
            s.setpoint = 10.0 * i;
            s.sigma = 1;
            s.latencyMs = 0;
            s.latencyMaxMs = 0;
            s.intervalMs = o.intervalMs;
            s.timeoutMs = std::max(100, o.intervalMs);
            s.seed = quint32(200 + i);
            config.sensors << s;
            config.charts << QStringList{s.id()};
        }
    }
    config.windowS = o.windowS;
    return config;
}

/// Readings per sensor id, counted from the moment it is made.
struct ReadCounter {
    QHash<QString, qint64> reads;
    QMetaObject::Connection connection;
};
} // namespace

namespace {
/// Shorter runs grow mostly by what start-up left to allocate: extrapolated over an hour, that
/// said 155–161 MB where 10-minute runs said 84.
constexpr double kMinExtrapolationS = 300;
} // namespace

double IdleBenchResult::rssFullMB() const {
    // The histories began filling when the window opened, 2 s before the measured part.
    const double filledS = wallS + 2;
    if (wallS <= 0 || filledS >= retentionS)
        return rssMB;
    const double growthPerS = std::max(0.0, rssMB - rssStartMB) / wallS;
    return rssMB + growthPerS * (retentionS - filledS);
}

QString IdleBenchResult::summaryLine() const {
    return QStringLiteral("bench-idle cpu_percent=%1 frames=%2 loop_lag_p99_ms=%3 "
                          "read_rate_ratio=%4 read_rate_mean=%5 rss_start_mb=%6 rss_mb=%7 "
                          "points=%8 retention_s=%9 rss_full_history_mb=%10")
        .arg(cpuPercent, 0, 'f', 2)
        .arg(frames)
        .arg(loopLagP99Ms, 0, 'f', 2)
        .arg(readRateWorst, 0, 'f', 3)
        .arg(readRateMean, 0, 'f', 3)
        .arg(rssStartMB, 0, 'f', 1)
        .arg(rssMB, 0, 'f', 1)
        .arg(points)
        .arg(retentionS)
        .arg(wallS >= kMinExtrapolationS ? QString::number(rssFullMB(), 'f', 1)
                                         : QStringLiteral("n/a"));
}

QCoro::Task<IdleBenchResult> runIdleBench(IdleBenchOptions o) {
    using namespace std::chrono_literals;
    auto &clock = async::Clock::system();
    const auto config = benchDashboard(o);
    // A file of its own: the bench never reads or replaces the user's remembered dashboard.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("idle.json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(dashboard::serializeDashboard(config)) < 0 ||
        !file.flush())
        co_return IdleBenchResult{};
    file.close();
    auto window = std::make_unique<widgets::MainWindow>(path);
    window->show();
    if (o.hidden) {
        if (auto *tabs = window->findChild<QTabWidget *>())
            tabs->setCurrentIndex(1);
    }
    auto &renderer = window->dashboard()->renderer();
    renderer.setWindow(std::chrono::seconds(o.windowS));
    co_await async::sleepFor(clock, 2s); // the sensors connect, the layout settles
    auto &hub = window->session().hub();
    // The status bar's own probe, widened to the whole run: a second one would add its wake-ups
    // to the cost being measured.
    async::LoopLagProbe &probe = *window->lagProbe();
    probe.keepSamples(100000);
    ReadCounter counter;
    counter.connection = QObject::connect(
        &hub, &sensors::SensorHub::readingAdded,
        [&counter](const QString &id, const sensors::Reading &) { ++counter.reads[id]; });
    const double rss0 = util::residentMB();
    const qint64 frames0 = renderer.framesRendered();
    const double cpu0 = util::processCpuSeconds();
    QElapsedTimer wall;
    wall.start();
    co_await async::sleepFor(clock, std::chrono::seconds(o.seconds));
    const double cpu = util::processCpuSeconds() - cpu0;
    const double wallS = double(wall.nsecsElapsed()) / 1e9;
    QObject::disconnect(counter.connection);

    IdleBenchResult r;
    r.wallS = wallS;
    r.cpuPercent = 100.0 * cpu / wallS;
    r.rssStartMB = rss0;
    r.rssMB = util::residentMB();
    r.retentionS = config.retentionS;
    for (const auto &id : hub.ids())
        r.points += qint64(hub.history(id).size());
    r.frames = renderer.framesRendered() - frames0;
    r.loopLagP99Ms = probe.p99Ms();
    r.readRateWorst = config.sensors.isEmpty() ? 0 : 1e9;
    for (const auto &s : config.sensors) {
        const double expected = wallS * 1000.0 / s.intervalMs;
        const double ratio = double(counter.reads.value(s.id())) / expected;
        r.readRateWorst = std::min(r.readRateWorst, ratio);
        r.readRateMean += ratio / double(config.sensors.size());
    }
    auto shutdown = window->shutdown();
    co_await shutdown;
    co_return r;
}

} // namespace vigil::bench
