#include "mainwindow.h"

#include "batchfetchview.h"
#include "livechart.h"
#include "loophealthwidget.h"

#include "async/looplagprobe.h"
#include "demo/demoserver.h"

#include <QApplication>
#include <QIcon>
#include <QMenuBar>
#include <QMessageBox>
#include <QRandomGenerator>
#include <QStatusBar>
#include <QTabWidget>

// Resources in a static library are dropped by the linker unless initialised by hand, and
// Q_INIT_RESOURCE must be called from the global namespace.
static void initVigilResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace vigil::widgets {

namespace {
constexpr auto kSampleInterval = std::chrono::milliseconds(100);
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_probe(new async::LoopLagProbe(std::chrono::milliseconds(20), 250, this))
    , m_chart(new LiveChart(tr("Reactor_Temp (simulated)"), QStringLiteral("°C"),
                            std::chrono::seconds(60), this))
    , m_batch(new BatchFetchView([this] { return demoServerUrl(); }))
    , m_loopHealth(new LoopHealthWidget(m_probe, this))
    , m_reactorTemp(150.0, 2.0, 0.1, QRandomGenerator::global()->generate())
{
    initVigilResources();
    setWindowTitle(tr("Vigil"));
    setWindowIcon(QIcon(QStringLiteral(":/vigil/vigil.svg")));
    auto *tabs = new QTabWidget;
    tabs->addTab(m_chart, tr("Live"));
    tabs->addTab(m_batch, tr("Batch Fetch"));
    setCentralWidget(tabs);
    connect(m_batch, &BatchFetchView::batchFinished, this,
            [this](const QString &line) { statusBar()->showMessage(line, 15000); });
    statusBar()->addPermanentWidget(m_loopHealth);
    statusBar()->showMessage(tr("Simulated process value, sampled every %1 ms")
                                 .arg(kSampleInterval.count()));
    buildMenus();
    resize(1480, 920);

    m_probe->start();
    m_sampler.setInterval(kSampleInterval);
    connect(&m_sampler, &QTimer::timeout, this, &MainWindow::sampleSimulatedValue);
    m_sampler.start();
    sampleSimulatedValue();
}

MainWindow::~MainWindow() = default;

QUrl MainWindow::demoServerUrl()
{
    if (!m_demo) {
        auto server = std::make_unique<demo::DemoServer>();
        if (!server->listen()) {
            statusBar()->showMessage(tr("The demo API could not start: %1").arg(server->errorString()));
            return QUrl(QStringLiteral("http://127.0.0.1:1"));
        }
        m_demo = std::move(server);
        statusBar()->showMessage(tr("Demo API serving on %1 (loopback only)").arg(m_demo->baseUrl().toString()), 10000);
    }
    return m_demo->baseUrl();
}

void MainWindow::buildMenus()
{
    auto *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
    auto *demoMenu = menuBar()->addMenu(tr("&Demo"));
    demoMenu->addAction(tr("Start demo &API server"), this, [this] {
        QMessageBox::information(this, tr("Demo API"),
                                 tr("The demo API is serving on %1 (127.0.0.1 only).\n"
                                    "Try %1/compound/caffeine or %1/item/7?ms=200.")
                                     .arg(demoServerUrl().toString()));
    });
    auto *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Vigil"), this, [this] {
        QMessageBox::about(this, tr("About Vigil"),
                           tr("<b>Vigil %1</b><p>Live sensors, concurrent HTTP batches and "
                              "downloads, on Qt's event loop with coroutines.</p>")
                               .arg(QStringLiteral(VIGIL_VERSION)));
    });
}

void MainWindow::sampleSimulatedValue()
{
    m_chart->addSample(QDateTime::currentDateTimeUtc(), m_reactorTemp.next());
}

} // namespace vigil::widgets
