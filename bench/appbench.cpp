// SPDX-License-Identifier: Apache-2.0
#include "appbench.h"

#include "demoprocess.h"
#include "downloadbench.h"

#include "batchfetchview.h"
#include "batchform.h"
#include "dashboardrenderer.h"
#include "dashboardview.h"
#include "downloadsview.h"
#include "mainwindow.h"

#include "async/clock.h"
#include "async/looplagprobe.h"
#include "async/sleep.h"
#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"
#include "sensors/sensorhub.h"
#include "util/processstats.h"

#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>

#include <cmath>
#include <stdexcept>

namespace vigil::bench {

QString AppBenchResult::summaryLine() const {
    return QStringLiteral("bench-app fps=%1 frame_p95_ms=%2 loop_lag_p99_ms=%3 batch_efficiency=%4 "
                          "batch_efficiency_solo=%5 download_mbps=%6 download_mbps_solo=%7 "
                          "batch_ratio=%8 download_ratio=%9 load_s=%10 frames=%11 batch_wall_s=%12 "
                          "batch_solo_wall_s=%13 ideal_s=%14 download_wall_s=%15 "
                          "download_solo_wall_s=%16 streaming_fps=%17 streaming_lag_p99_ms=%18 "
                          "gui_cpu_share=%19 gui_wait_share=%20 machine_busy_share=%21 "
                          "peak_rss_mb=%22 out=%23")
        .arg(fps, 0, 'f', 1)
        .arg(frameP95Ms, 0, 'f', 2)
        .arg(loopLagP99Ms, 0, 'f', 2)
        .arg(batchEfficiency(), 0, 'f', 3)
        .arg(batchEfficiencySolo(), 0, 'f', 3)
        .arg(downloadMbps(), 0, 'f', 1)
        .arg(downloadMbpsSolo(), 0, 'f', 1)
        .arg(ratio(batchEfficiency(), batchEfficiencySolo()), 0, 'f', 3)
        .arg(ratio(downloadMbps(), downloadMbpsSolo()), 0, 'f', 3)
        .arg(loadS, 0, 'f', 3)
        .arg(frames)
        .arg(batchWallS, 0, 'f', 3)
        .arg(batchSoloWallS, 0, 'f', 3)
        .arg(idealS, 0, 'f', 3)
        .arg(downloadWallS, 0, 'f', 3)
        .arg(downloadSoloWallS, 0, 'f', 3)
        .arg(streamingFps, 0, 'f', 1)
        .arg(streamingLagP99Ms, 0, 'f', 2)
        .arg(ratio(guiCpuS, loadS), 0, 'f', 3)
        .arg(ratio(guiWaitS, loadS), 0, 'f', 3)
        .arg(machineBusyShare, 0, 'f', 3)
        .arg(peakRssMb, 0, 'f', 1)
        .arg(out);
}

namespace {
using namespace std::chrono_literals;

double seconds(const QElapsedTimer &timer) {
    return double(timer.nsecsElapsed()) / 1e9;
}

/// @brief The calling thread's CPU time and time spent runnable but waiting for a CPU, from
/// /proc/thread-self/schedstat: together they say whether the GUI thread was the bottleneck, and
/// how much of the machine others took.
struct ThreadTimes {
    double cpuS = 0;
    double waitS = 0;
    static ThreadTimes now() {
        QFile file(QStringLiteral("/proc/thread-self/schedstat"));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QList<QByteArray> fields = file.readAll().trimmed().split(' ');
        return {fields.value(0).toDouble() / 1e9, fields.value(1).toDouble() / 1e9};
    }
};

/// @brief The whole machine's busy and total CPU time from /proc/stat: a share near 1 says every
/// core was busy (this process, the demo server and anything else), so each part waited for the
/// others.
struct MachineTimes {
    double busy = 0;
    double total = 0;
    static MachineTimes now() {
        QFile file(QStringLiteral("/proc/stat"));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QList<QByteArray> f = file.readLine().simplified().split(' '); // "cpu user nice …"
        MachineTimes t;
        for (qsizetype i = 1; i < f.size(); ++i) {
            t.total += f[i].toDouble();
            if (i != 4 && i != 5) // idle, iowait
                t.busy += f[i].toDouble();
        }
        return t;
    }
};

/// The plot bench's streaming dashboard: simulated sensors read at rateHz, one chart each. Their
/// 20 ms interval is below what a dashboard file allows, so it is applied, not loaded.
dashboard::DashboardConfig streamingDashboard(const AppBenchOptions &o) {
    dashboard::DashboardConfig config;
    config.windowS = o.historyS;
    config.retentionS = std::max(60, o.historyS + 600);
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
    return config;
}

/// The charts start full, as after historyS seconds of monitoring (the plot bench's data).
void prefill(sensors::SensorHub &hub, const dashboard::DashboardConfig &config, qint64 now) {
    for (qsizetype i = 0; i < config.sensors.size(); ++i) {
        auto &history = hub.mutableHistory(config.sensors[i].id());
        history.clear();
        const qint64 step = std::max(1, config.sensors[i].intervalMs);
        for (qint64 t = now - qint64(config.windowS) * 1000; t < now; t += step)
            history.append(t, 10.0 * double(i) + std::sin(double(t) / 20000.0 + double(i)) * 3.0);
    }
}

/// The whole number after ` key=` in a summary line, or -1.
qint64 countIn(const QString &line, const char *key) {
    const QString mark = QLatin1String(key) + u'=';
    if (!line.startsWith(mark) && !line.contains(u' ' + mark))
        return -1;
    bool ok = false;
    const qint64 v = line.section(mark, 1).section(u' ', 0, 0).toLongLong(&ok);
    return ok ? v : -1;
}

/// @brief Runs the Batch Fetch and Downloads tabs of a MainWindow as a user would (fill the form,
/// press Start) and times each run from Start to the summary its tab shows.
class TabDriver {
public:
    TabDriver(widgets::MainWindow &window, const QString &base, QString outDir,
              const AppBenchOptions &o)
        : m_batch(*window.batchFetch())
        , m_downloads(*window.downloads())
        , m_outDir(std::move(outDir))
        , m_items(o.items)
        , m_files(o.downloads) {
        auto *form = m_batch.form();
        form->applyPreset(widgets::BatchForm::Custom);
        form->fieldsEdit()->clear();
        form->templateEdit()->setText(base + QStringLiteral("/item/{item}?ms=") +
                                      QString::number(o.latencyMs));
        QStringList items;
        for (int i = 0; i < o.items; ++i)
            items << QString::number(i);
        form->itemsEdit()->setPlainText(items.join(u'\n'));
        form->concurrencyBox()->setValue(o.concurrency);
        form->rateBox()->setValue(0);
        form->retriesBox()->setValue(0); // as `bench fetch`: a failure is a failure
        form->timeoutBox()->setValue(60000);
        QStringList urls;
        for (int i = 0; i < o.downloads; ++i)
            urls << QStringLiteral("%1/bytes/%2?file=%3")
                        .arg(base)
                        .arg(qint64(o.downloadMib) * 1024 * 1024)
                        .arg(i);
        m_downloads.urlsEdit()->setPlainText(urls.join(u'\n'));
        m_downloads.concurrencyBox()->setValue(o.downloads);
        m_batchDone = QObject::connect(&m_batch, &widgets::BatchFetchView::batchFinished,
                                       [this](const QString &line) {
                                           m_batchWallS = seconds(m_batchTimer);
                                           m_batchLine = line;
                                       });
        m_downloadsDone = QObject::connect(&m_downloads, &widgets::DownloadsView::finished,
                                           [this](const QString &line) {
                                               m_downloadWallS = seconds(m_downloadTimer);
                                               m_downloadLine = line;
                                           });
    }
    TabDriver(const TabDriver &) = delete;
    TabDriver &operator=(const TabDriver &) = delete;
    ~TabDriver() {
        QObject::disconnect(m_batchDone);
        QObject::disconnect(m_downloadsDone);
    }

    void startBatch() {
        if (!m_batch.form()->isValid())
            throw std::runtime_error("the batch form refuses the run: " +
                                     m_batch.form()->problems().first().message.toStdString());
        m_batchLine.clear();
        m_batchTimer.start();
        m_batch.start();
        if (!m_batch.isRunning())
            throw std::runtime_error("the batch did not start");
    }

    /// Each run into a folder of its own, so no file is already there.
    void startDownloads() {
        m_downloads.folderEdit()->setText(
            QDir(m_outDir).filePath(QStringLiteral("run%1").arg(++m_downloadRuns)));
        if (const auto problems = m_downloads.problems(); !problems.isEmpty())
            throw std::runtime_error("the downloads form refuses the run: " +
                                     problems.first().toStdString());
        m_downloadLine.clear();
        m_downloadTimer.start();
        m_downloads.start();
        if (!m_downloads.isRunning())
            throw std::runtime_error("the downloads did not start");
    }

    /// Until every run started has shown its summary; throws if an item or a file failed.
    [[nodiscard]] QCoro::Task<> finished() {
        while (m_batch.isRunning() || m_downloads.isRunning())
            co_await async::sleepFor(async::Clock::system(), 10ms);
        if (!m_batchLine.isEmpty() && countIn(m_batchLine, "ok") != m_items)
            throw std::runtime_error("batch: " + m_batchLine.toStdString());
        if (!m_downloadLine.isEmpty() && countIn(m_downloadLine, "ok") != m_files)
            throw std::runtime_error("downloads: " + m_downloadLine.toStdString());
    }

    /// Deletes what the runs downloaded; between phases, so it never counts in one.
    void removeDownloads() const {
        QDir(m_outDir).removeRecursively();
        QDir().mkpath(m_outDir);
    }

    [[nodiscard]] double batchWallS() const { return m_batchWallS; }
    [[nodiscard]] double downloadWallS() const { return m_downloadWallS; }

private:
    widgets::BatchFetchView &m_batch;
    widgets::DownloadsView &m_downloads;
    QString m_outDir;
    int m_items;
    int m_files;
    int m_downloadRuns = 0;
    QElapsedTimer m_batchTimer;
    QElapsedTimer m_downloadTimer;
    double m_batchWallS = 0;
    double m_downloadWallS = 0;
    QString m_batchLine;
    QString m_downloadLine;
    QMetaObject::Connection m_batchDone;
    QMetaObject::Connection m_downloadsDone;
};

/// Everything measured in one window: the solo runs with the sensors stopped, then the charts
/// streaming alone for a moment, then the batch and the downloads started together.
QCoro::Task<AppBenchResult> measure(widgets::MainWindow &window, QString base, AppBenchOptions o) {
    auto &clock = async::Clock::system();
    const auto config = streamingDashboard(o);
    auto applying = window.session().apply(config);
    co_await applying;
    auto &hub = window.session().hub();
    auto stopping = hub.stop(); // the charts idle: no reading arrives during the solo runs
    co_await stopping;
    prefill(hub, config, clock.wallNow().toMSecsSinceEpoch());
    auto &renderer = window.dashboard()->renderer();
    renderer.setWindow(std::chrono::seconds(o.historyS));
    renderer.setMaxDataDelay(0ms); // as `bench plot`: every tick that brings data draws

    AppBenchResult r;
    bool tmpfs = false;
    QTemporaryDir out(benchOutputParent(&tmpfs) + QStringLiteral("/vigil-bench-app-XXXXXX"));
    r.out = tmpfs ? QStringLiteral("tmpfs") : QStringLiteral("disk");
    TabDriver tabs(window, base, out.path(), o);
    co_await async::sleepFor(clock, 1s); // the layout settles, the charts are drawn once
    tabs.startBatch();
    auto batchAlone = tabs.finished();
    co_await batchAlone;
    r.batchSoloWallS = tabs.batchWallS();
    tabs.startDownloads();
    auto downloadsAlone = tabs.finished();
    co_await downloadsAlone;
    r.downloadSoloWallS = tabs.downloadWallS();
    tabs.removeDownloads();

    hub.start();
    co_await async::sleepFor(clock, 1s); // streaming, frames flowing
    // The charts streaming with nothing else: what the load is compared with.
    async::LoopLagProbe probe(5ms, 200000);
    probe.start();
    renderer.resetFrameTimes();
    co_await async::sleepFor(clock, 2s);
    r.streamingFps = double(renderer.framesRendered()) / 2.0;
    r.streamingLagP99Ms = probe.p99Ms();
    probe.reset();
    renderer.resetFrameTimes();
    const ThreadTimes gui0 = ThreadTimes::now();
    const MachineTimes machine0 = MachineTimes::now();
    QElapsedTimer load;
    load.start();
    tabs.startBatch();
    tabs.startDownloads();
    auto both = tabs.finished();
    co_await both;
    r.loadS = seconds(load);
    const ThreadTimes gui = ThreadTimes::now();
    r.guiCpuS = gui.cpuS - gui0.cpuS;
    r.guiWaitS = gui.waitS - gui0.waitS;
    const MachineTimes machine = MachineTimes::now();
    if (const double total = machine.total - machine0.total; total > 0)
        r.machineBusyShare = (machine.busy - machine0.busy) / total;
    r.frames = renderer.framesRendered();
    r.fps = r.loadS > 0 ? double(r.frames) / r.loadS : 0;
    r.frameP95Ms = renderer.frameTimes().percentile(95);
    r.loopLagP99Ms = probe.p99Ms();
    probe.stop();
    r.batchWallS = tabs.batchWallS();
    r.downloadWallS = tabs.downloadWallS();
    r.idealS = std::ceil(double(o.items) / o.concurrency) * o.latencyMs / 1000.0;
    r.downloadBytes = qint64(o.downloads) * o.downloadMib * 1024 * 1024;
    r.peakRssMb = util::peakRssMB();
    tabs.removeDownloads();
    co_return r;
}

/// The window is always shut down, as closing it would, before it goes.
QCoro::Task<AppBenchResult> inMainWindow(QString base, AppBenchOptions o) {
    auto window = std::make_unique<widgets::MainWindow>();
    window->show();
    std::exception_ptr failure;
    AppBenchResult r;
    try {
        auto measuring = measure(*window, base, o);
        r = co_await measuring;
    } catch (...) {
        failure = std::current_exception();
    }
    auto shutdown = window->shutdown();
    co_await shutdown;
    if (failure)
        std::rethrow_exception(failure);
    co_return r;
}
} // namespace

QCoro::Task<AppBenchResult> runAppBench(QString vigilBinary, AppBenchOptions options) {
    // The window remembers its dashboard and download list: in a folder of the bench's own,
    // never the user's settings.
    QTemporaryDir settings;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings.path());
    QProcess demo;
    std::exception_ptr failure;
    AppBenchResult r;
    try {
        const QString base = co_await startDemoProcess(demo, vigilBinary);
        auto running = inMainWindow(base, options);
        r = co_await running;
    } catch (...) {
        failure = std::current_exception();
    }
    stopDemoProcess(demo);
    if (failure)
        std::rethrow_exception(failure);
    co_return r;
}

} // namespace vigil::bench
