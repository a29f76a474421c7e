// SPDX-License-Identifier: Apache-2.0
#include "mainwindow.h"
#include "metricsendpoint.h"
#include "mqttplantdemo.h"

#include "batchfetchview.h"
#include "dashboardrenderer.h"
#include "dashboardview.h"
#include "demoscenarios.h"
#include "downloadsview.h"
#include "loophealthwidget.h"
#include "privatesettings.h"

#include "async/clock.h"
#include "async/looplagprobe.h"
#include "async/settle.h"
#include "async/sleep.h"
#include "compute/offloadbench.h"
#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"
#include "demo/demoserver.h"
#include "demo/modbusplant.h"
#include "demo/serialinstrument.h"
#include "io/resultexport.h"
#include "sensors/sensorhub.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

// Resources in a static library are dropped by the linker unless initialised by hand, and
// Q_INIT_RESOURCE must be called from the global namespace.
static void initVigilResources() {
    Q_INIT_RESOURCE(resources);
}

namespace vigil::widgets {

namespace {
const QString kLastDashboardKey = QStringLiteral("dashboard/last");

/// The offload bench, once the event loop has painted what announces it: the task would
/// otherwise block the GUI thread before returning to the loop, and the "watch the charts
/// freeze" line would appear only after the freeze.
QCoro::Task<compute::OffloadBenchResult> announcedOffloadBench(std::chrono::milliseconds job,
                                                               async::LoopLagProbe *probe) {
    co_await async::sleepFor(async::Clock::system(), std::chrono::milliseconds(150));
    auto bench = compute::runOffloadBench(job, probe);
    co_return co_await bench;
}

} // namespace

MainWindow::MainWindow(const QString &dashboardFile, QWidget *parent)
    : QMainWindow(parent)
    , m_mqttDemo(std::make_unique<MqttPlantDemo>())
    , m_session(std::make_unique<dashboard::MonitoringSession>(async::Clock::system()))
    , m_probe(new async::LoopLagProbe(kLagProbeInterval, kLagProbeSamples, this))
    , m_dashboard(new DashboardView(*m_session))
    , m_batch(new BatchFetchView([this] { return demoServerUrl(); }))
    , m_downloads(new DownloadsView)
    , m_loopHealth(new LoopHealthWidget(m_probe, this))
    , m_metrics(new MetricsEndpoint(
          {m_session->hub(), m_batch->counters(), m_downloads->counters(), m_probe}, this))
    , m_cycle(new QLabel) {
    initVigilResources();
    setWindowTitle(tr("Vigil"));
    setWindowIcon(QIcon(QStringLiteral(":/vigil/vigil.svg")));
    auto *tabs = new QTabWidget;
    tabs->addTab(m_dashboard, tr("Dashboard"));
    tabs->addTab(m_batch, tr("Batch Fetch"));
    tabs->addTab(m_downloads, tr("Downloads"));
    setCentralWidget(tabs);
    m_dashboard->setDemoUrlProvider([this] { return demoServerUrl(); });
    statusBar()->addPermanentWidget(m_cycle);
    statusBar()->addPermanentWidget(m_loopHealth);
    startMetricsFromSettings(*m_metrics, *statusBar());
    connect(m_batch, &BatchFetchView::batchFinished, this,
            [this](const QString &line) { statusBar()->showMessage(line, 15000); });
    connect(m_downloads, &DownloadsView::finished, this,
            [this](const QString &line) { statusBar()->showMessage(line, 15000); });
    connect(&m_session->hub().poller(), &sensors::Poller::cycleFinished, this,
            [this](double cycleMs, double, double, int reads) {
                // A cycle reads only the sensors that are due, so reads are not sensors.
                m_cycle->setText(tr("poll cycle %1 s (%2 of %3 sensors read)")
                                     .arg(cycleMs / 1000, 0, 'f', 2)
                                     .arg(reads)
                                     .arg(m_session->hub().poller().sensors().size()));
                // (stream series are pushed, never read: they are not in the count)
            });
    m_cycle->setObjectName(QStringLiteral("pollCycle"));
    keepSizeFor(*m_cycle, tr("poll cycle 000.00 s (0000 of 0000 sensors read)"));
    // Alarms set in the dialog belong in the dashboard file, as if set there by hand.
    connect(m_dashboard, &DashboardView::thresholdsEdited, this, &MainWindow::keepEditedThresholds);
    // A secret the user just gave is named at once: it will not be saved.
    connect(m_session.get(), &dashboard::MonitoringSession::layoutChanged, this, [this] {
        if (m_session->hub().poller().sensors().isEmpty())
            m_cycle->setText(tr("no polled sensors"));
        QStringList dropped;
        const QByteArray json = dashboard::serializeDashboard(m_session->current(), &dropped);
        Q_UNUSED(json)
        tellSecretsNotSaved(dropped);
    });
    buildMenus();
    resize(1480, 920);
    m_probe->start();

    // --dashboard FILE, else the dashboard from last time, else the default one.
    QString error;
    if (!dashboardFile.isEmpty() && openDashboard(dashboardFile, &error))
        return;
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Dashboard not loaded"), error);
    const QByteArray last = QSettings().value(kLastDashboardKey).toByteArray();
    dashboard::ConfigError lastError;
    if (const auto remembered =
            last.isEmpty() ? std::nullopt : dashboard::parseDashboard(last, &lastError))
        applyConfig(*remembered);
    else
        applyConfig(dashboard::DashboardConfig::defaults());
}

MainWindow::~MainWindow() {
    Q_ASSERT_X(m_shutDown, "MainWindow",
               "destroyed before shutdown(); close() the window or co_await shutdown() first");
}

QCoro::Task<> MainWindow::shutdown() {
    // The views first: a cancelled batch and interrupted downloads are quick, and none of them
    // needs the session. Each step is idempotent, so a second shutdown() only waits.
    auto batch = m_batch->shutdown();
    co_await batch;
    auto downloads = m_downloads->shutdown();
    co_await downloads;
    auto session = m_session->shutdown();
    co_await session;
    auto own = m_tasks.close();
    co_await own;
    auto mqttDemo = m_mqttDemo->shutdown(); // after the session: its sources disconnect first
    co_await mqttDemo;
    if (m_modbusDemo) {
        // After the session too: its registers are read until then. The session's connection
        // has just closed; Qt 6.4's server frees that connection's buffer when it sees the close,
        // so it gets a moment to (else LeakSanitizer finds the buffer).
        co_await async::sleepFor(async::Clock::system(), std::chrono::milliseconds(100));
        m_modbusDemo.reset();
    }
    m_serialDemo.reset();
    m_shutDown = true;
}

void MainWindow::applyConfig(const dashboard::DashboardConfig &config) {
    m_session->applyInBackground(config);
}

bool MainWindow::openDashboard(const QString &path, QString *error) {
    QFile file(path);
    if (!QFileInfo(path).isFile()) { // a FIFO or a device would be read without end
        *error = tr("Cannot open %1: not a regular file").arg(path);
        return false;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot open %1: %2").arg(path, file.errorString());
        return false;
    }
    dashboard::ConfigError configError;
    QList<dashboard::ConfigError> warnings;
    // One byte past the limit is enough for the parser to refuse the file by its size.
    const auto config = dashboard::parseDashboard(file.read(dashboard::kMaxDashboardBytes + 1),
                                                  &configError, &warnings);
    if (!config) {
        *error = tr("%1 is not a valid dashboard: %2. The current dashboard stays.")
                     .arg(path, configError.text());
        return false;
    }
    applyConfig(*config);
    m_dashboardPath = path;
    showDashboardInTitle();
    if (warnings.isEmpty()) {
        statusBar()->showMessage(tr("Dashboard %1 loaded").arg(path), 8000);
        return true;
    }
    // A typo must not fall back to a default in silence: each unknown key is named.
    for (const auto &warning : warnings)
        m_dashboard->addLogLine(tr("%1: %2").arg(QFileInfo(path).fileName(), warning.text()),
                                QColor(0xc6, 0x28, 0x28));
    statusBar()->showMessage(tr("Dashboard %1 loaded with %n warning(s): %2 (see the event log)",
                                nullptr, int(warnings.size()))
                                 .arg(path, warnings.first().text()),
                             30000);
    return true;
}

bool MainWindow::saveDashboard(const QString &path, QString *error) {
    QStringList dropped;
    const QByteArray json = dashboard::serializeDashboard(m_session->current(), &dropped);
    if (!io::writeFileAtomically(path, json, error))
        return false;
    m_dashboardPath = path;
    showDashboardInTitle();
    remember();
    statusBar()->showMessage(tr("Dashboard saved to %1").arg(path), 8000);
    tellSecretsNotSaved(dropped);
    return true;
}

void MainWindow::keepEditedThresholds() {
    QStringList dropped;
    const QByteArray json = dashboard::serializeDashboard(m_session->current(), &dropped);
    Q_UNUSED(json)
    if (m_dashboardPath.isEmpty() || !dropped.isEmpty()) {
        // A save leaves literal secrets out: rewriting the user's file for an alarm would cost
        // them the tokens it holds. They choose, with File → Save.
        remember();
        statusBar()->showMessage(
            m_dashboardPath.isEmpty()
                ? tr("Alarms set; File → Save dashboard keeps them in a file")
                : tr("Alarms set, but not written to %1: saving would leave out %2. File → Save "
                     "dashboard writes it without them.")
                      .arg(QFileInfo(m_dashboardPath).fileName(), dropped.join(u", ")));
        return;
    }
    QString error;
    if (!saveDashboard(m_dashboardPath, &error))
        QMessageBox::warning(this, tr("Dashboard not saved"), error);
}

void MainWindow::showDashboardInTitle() {
    setWindowFilePath(m_dashboardPath);
    setWindowTitle(tr("%1 — Vigil").arg(QFileInfo(m_dashboardPath).fileName()));
}

void MainWindow::remember() {
    dashboard::DashboardConfig current = m_session->current();
    // The serial demo's pty dies with this window, and its number goes to the next terminal
    // opened: a remembered source would open someone's shell. It is not kept.
    if (m_serialDemo && current.sensors.removeIf([this](const dashboard::SensorConfig &s) {
            return s.type == QLatin1String("lines") && s.lines.device == m_serialDemo->devicePath();
        }) > 0 &&
        current.sensors.isEmpty())
        return; // nothing else to keep: the dashboard from before the demo stays remembered
    // No secret goes in (serializeDashboard leaves them out), and the file is 0600 anyway.
    storePrivateSetting(kLastDashboardKey, dashboard::serializeDashboard(current));
}

void MainWindow::tellSecretsNotSaved(const QStringList &dropped) {
    QStringList fresh;
    for (const auto &what : dropped) {
        if (!m_toldNotSaved.contains(what)) {
            m_toldNotSaved.insert(what);
            fresh << what;
        }
    }
    if (fresh.isEmpty())
        return;
    const QString text =
        tr("%1: kept for this session only, never saved; use ${ENV_NAME} in a header value or "
           "\"headers_env\" in the dashboard file to keep a secret")
            .arg(fresh.join(QStringLiteral("; ")));
    m_dashboard->addLogLine(text, QColor(0x15, 0x65, 0xc0));
    statusBar()->showMessage(text, 30000);
}

QUrl MainWindow::demoServerUrl() {
    if (!m_demo) {
        auto server = std::make_unique<demo::DemoServer>();
        if (!server->listen()) {
            statusBar()->showMessage(
                tr("The demo API could not start: %1").arg(server->errorString()));
            return QUrl(QStringLiteral("http://127.0.0.1:1"));
        }
        m_demo = std::move(server);
        statusBar()->showMessage(
            tr("Demo API serving on %1 (loopback only)").arg(m_demo->baseUrl().toString()), 10000);
    }
    return m_demo->baseUrl();
}

void MainWindow::runBlockVsOffloadDemo() {
    using namespace std::chrono_literals;
    if (m_tasks.isClosed())
        return;
    m_dashboard->addLogLine(
        tr("Block vs offload: 1.5 s of CPU work on the GUI thread — watch the charts freeze…"));
    statusBar()->showMessage(
        tr("Running 1.5 s of CPU work on the GUI thread, then on the compute pool…"));
    // In the window's scope: the bench samples m_probe, so the window waits for it before going.
    auto demo = announcedOffloadBench(1500ms, m_probe);
    std::function<void(async::Outcome<compute::OffloadBenchResult>)> report =
        [this](async::Outcome<compute::OffloadBenchResult> r) {
            if (!r.isOk())
                return;
            const QString verdict = blockVsOffloadVerdict(r.value());
            for (const auto &span : blockVsOffloadSpans(r.value()))
                m_dashboard->markTimeSpan(span);
            m_dashboard->addLogLine(verdict, QColor(0x15, 0x65, 0xc0));
            statusBar()->showMessage(verdict, 20000);
        };
    m_tasks.spawn(async::observe(std::move(demo), report));
}

void MainWindow::changeEvent(QEvent *event) {
    QMainWindow::changeEvent(event);
    // Minimized, the charts draw nothing; restored, one frame catches up.
    if (event->type() == QEvent::WindowStateChange)
        m_dashboard->renderer().updateVisibility();
}

void MainWindow::closeEvent(QCloseEvent *event) {
    if (m_shutDown) {
        event->accept();
        return;
    }
    // Shut down first, then close for real: the destructor may follow the close at once (the last
    // window closing ends main()), and it must find nothing running.
    event->ignore();
    if (m_closing)
        return;
    m_closing = true;
    remember();
    statusBar()->showMessage(tr("Closing: stopping transfers and disconnecting sensors…"));
    auto shutdown = this->shutdown();
    QPointer<MainWindow> self(this);
    std::function<void(async::Outcome<void>)> closeNow = [self](async::Outcome<void>) {
        if (MainWindow *window = self.data())
            window->close();
    };
    async::observe(std::move(shutdown), closeNow);
}

void MainWindow::buildMenus() {
    auto *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open dashboard…"), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open dashboard"), {},
                                                          tr("Vigil dashboards (*.json)"));
        QString error;
        if (!path.isEmpty() && !openDashboard(path, &error))
            QMessageBox::warning(this, tr("Dashboard not loaded"), error);
    });
    const auto saveAs = [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save dashboard"),
            m_dashboardPath.isEmpty() ? QStringLiteral("dashboard.json") : m_dashboardPath,
            tr("Vigil dashboards (*.json)"));
        QString error;
        if (!path.isEmpty() && !saveDashboard(path, &error))
            QMessageBox::warning(this, tr("Dashboard not saved"), error);
    };
    file->addAction(tr("&Save dashboard"), QKeySequence::Save, this, [this, saveAs] {
        QString error;
        if (m_dashboardPath.isEmpty())
            saveAs();
        else if (!saveDashboard(m_dashboardPath, &error))
            QMessageBox::warning(this, tr("Dashboard not saved"), error);
    });
    file->addAction(tr("Save dashboard &as…"), QKeySequence::SaveAs, this, saveAs);
    file->addAction(tr("Prometheus &metrics…"), this,
                    [this] { editMetricsSettings(*m_metrics, this); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    addDemoMenu(*this, menuBar());
    auto *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Vigil"), this, [this] {
        QMessageBox::about(this, tr("About Vigil"),
                           tr("<b>Vigil %1</b><p>Live sensors, concurrent HTTP batches and "
                              "downloads, on Qt's event loop with coroutines.</p>")
                               .arg(QStringLiteral(VIGIL_VERSION)));
    });
}

} // namespace vigil::widgets
