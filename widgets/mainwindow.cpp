#include "mainwindow.h"

#include "livechart.h"
#include "loophealthwidget.h"

#include "async/looplagprobe.h"

#include <QApplication>
#include <QIcon>
#include <QMenuBar>
#include <QMessageBox>
#include <QRandomGenerator>
#include <QStatusBar>

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
    , m_loopHealth(new LoopHealthWidget(m_probe, this))
    , m_reactorTemp(150.0, 2.0, 0.1, QRandomGenerator::global()->generate())
{
    initVigilResources();
    setWindowTitle(tr("Vigil"));
    setWindowIcon(QIcon(QStringLiteral(":/vigil/vigil.svg")));
    setCentralWidget(m_chart);
    statusBar()->addPermanentWidget(m_loopHealth);
    statusBar()->showMessage(tr("Simulated process value, sampled every %1 ms")
                                 .arg(kSampleInterval.count()));
    buildMenus();
    resize(1100, 700);

    m_probe->start();
    m_sampler.setInterval(kSampleInterval);
    connect(&m_sampler, &QTimer::timeout, this, &MainWindow::sampleSimulatedValue);
    m_sampler.start();
    sampleSimulatedValue();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    auto *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
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
