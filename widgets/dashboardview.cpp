// SPDX-License-Identifier: Apache-2.0
#include "dashboardview.h"

#include "addsensormenu.h"
#include "capturebuttons.h"
#include "chartgridview.h"
#include "chartpanel.h"
#include "dashboardrenderer.h"
#include "errorbanner.h"
#include "eventlog.h"
#include "sensorstatusmodel.h"
#include "thresholdsdialog.h"

#include "dashboard/chartlayout.h"
#include "dashboard/monitoringsession.h"
#include "io/readingsexport.h"
#include "io/recorder.h"
#include "io/resultexport.h"
#include "sensors/sensorhub.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace vigil::widgets {

namespace {
const QList<QPair<QString, int>> kWindows = {{QStringLiteral("10 s"), 10},
                                             {QStringLiteral("1 min"), 60},
                                             {QStringLiteral("10 min"), 600},
                                             {QStringLiteral("1 h"), 3600}};
} // namespace

DashboardView::DashboardView(dashboard::MonitoringSession &session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_renderer(new DashboardRenderer(session.hub(), session.clock(), this))
    , m_status(new SensorStatusModel(session.hub(), this))
    , m_grid(new ChartGridView)
    , m_window(new QComboBox)
    , m_pause(new QPushButton(tr("Pause")))
    , m_mode(new QButtonGroup(this))
    , m_cycle(new QLabel)
    , m_banner(new ErrorBanner)
    , m_sensorList(new QListWidget)
    , m_statusTable(new QTableView)
    , m_log(new EventLog(session)) {
    auto *bar = new QHBoxLayout;
    buildToolbar(bar);
    auto *split = new QSplitter;
    split->addWidget(m_grid);
    split->addWidget(buildSidePanel());
    split->setStretchFactor(0, 1);
    split->setSizes({1100, 380});
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_banner);
    layout->addWidget(split, 1);

    auto &hub = session.hub();
    connect(&hub.poller(), &sensors::Poller::cycleFinished, this, &DashboardView::onCycle);
    connect(&session, &dashboard::MonitoringSession::layoutChanged, this, &DashboardView::rebuild);
    connect(&hub, &sensors::SensorHub::staleChanged, this, &DashboardView::showStale);
    // Charts scrolled out of sight are not drawn: scrolling or resizing the grid draws them.
    auto *scroll = m_grid->verticalScrollBar();
    connect(scroll, &QScrollBar::valueChanged, m_renderer, &DashboardRenderer::requestFrame);
    connect(scroll, &QScrollBar::rangeChanged, m_renderer, &DashboardRenderer::requestFrame);
    connect(&session.recorder(), &io::Recorder::failed, this, [this](const QString &message) {
        m_capture->showRecording(false);
        m_banner->showError(message);
        addLogLine(message, Qt::red);
    });
    showWindow(session.layout().windowS);
    m_renderer->setWindow(std::chrono::seconds(kWindows[m_window->currentIndex()].second));
    rebuild();
}

DashboardView::~DashboardView() = default;

QList<ChartPanel *> DashboardView::panels() const {
    return m_grid->panels();
}

void DashboardView::buildToolbar(QHBoxLayout *bar) {
    for (const auto &[label, seconds] : kWindows)
        m_window->addItem(label, seconds);
    m_window->setToolTip(tr("Time window shown by every chart"));
    connect(m_window, &QComboBox::currentIndexChanged, this, [this](int i) {
        const int seconds = m_window->itemData(i).toInt();
        m_renderer->setWindow(std::chrono::seconds(seconds));
        m_session.setWindowSeconds(seconds);
    });
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freeze the charts; readings are still recorded"));
    connect(m_pause, &QPushButton::toggled, this, &DashboardView::setPaused);
    auto *concurrent = new QRadioButton(tr("Concurrent"));
    auto *sequential = new QRadioButton(tr("Sequential"));
    m_mode->addButton(concurrent, 0);
    m_mode->addButton(sequential, 1);
    (m_session.layout().mode == QLatin1String("sequential") ? sequential : concurrent)
        ->setChecked(true);
    connect(m_mode, &QButtonGroup::idClicked, this, [this](int id) { setSequential(id == 1); });
    m_cycle->setToolTip(tr("How long one poll cycle took, and what the other mode would take"));
    m_capture = new CaptureButtons(
        {[this](const QString &path, bool all, QString *error) {
             return exportCsv(path, all, error);
         },
         [this](const QString &path, QString *error) { return exportPng(path, error); },
         [this](bool on, const QString &path, QString *error) {
             return setRecording(on, path, error);
         }});
    bar->addWidget(new QLabel(tr("Window")));
    bar->addWidget(m_window);
    bar->addWidget(m_pause);
    bar->addSpacing(16);
    bar->addWidget(new QLabel(tr("Poll")));
    bar->addWidget(concurrent);
    bar->addWidget(sequential);
    bar->addWidget(m_cycle, 1);
    bar->addWidget(m_capture);
}

QWidget *DashboardView::buildSidePanel() {
    auto *panel = new QSplitter(Qt::Vertical);
    auto *sensorsBox = new QWidget;
    auto *sensorsLayout = new QVBoxLayout(sensorsBox);
    sensorsLayout->setContentsMargins(0, 0, 0, 0);
    sensorsLayout->addWidget(new QLabel(tr("<b>Sensors</b> — tick to show; select to arrange")));
    sensorsLayout->addWidget(m_sensorList);
    m_sensorList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    auto *buttons = new QHBoxLayout;
    const auto button = [&](const QString &text, const QString &tip, auto slot) {
        auto *b = new QToolButton;
        b->setText(text);
        b->setToolTip(tip);
        connect(b, &QToolButton::clicked, this, slot);
        buttons->addWidget(b);
        return b;
    };
    button(QStringLiteral("↑"), tr("Move up"), [this] { moveSensor(selectedSensor(), -1); });
    button(QStringLiteral("↓"), tr("Move down"), [this] { moveSensor(selectedSensor(), +1); });
    button(tr("Merge"),
           tr("Draw the selected series (Ctrl+click two or more) in one chart, each on its own "
              "Y axis"),
           [this] { mergeSensors(selectedSensors()); });
    button(tr("Split"), tr("Give this series a chart of its own"),
           [this] { splitIntoOwnChart(selectedSensor()); });
    button(tr("Remove"), tr("Stop polling this sensor (Ctrl+Z puts it back)"),
           [this] { removeSensor(selectedSensor()); });
    m_undo = button(tr("Undo"), tr("Put the last removed sensor back (Ctrl+Z)"),
                    [this] { undoRemove(); });
    m_undo->setEnabled(false);
    auto *undo = new QShortcut(QKeySequence::Undo, this);
    undo->setContext(Qt::WidgetWithChildrenShortcut);
    connect(undo, &QShortcut::activated, this, &DashboardView::undoRemove);
    auto *add = new QToolButton;
    add->setText(tr("Add…"));
    add->setPopupMode(QToolButton::InstantPopup);
    m_addMenu = new AddSensorMenu(
        m_session.clock(), [this](const dashboard::SensorConfig &c) { addSensorFromMenu(c); }, add);
    connectStreamSources();
    add->setMenu(m_addMenu);
    buttons->addWidget(add);
    sensorsLayout->addLayout(buttons);
    connect(m_sensorList, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        if (!m_rebuilding)
            setSensorVisible(item->data(Qt::UserRole).toString(),
                             item->checkState() == Qt::Checked);
    });

    m_statusTable->setModel(m_status);
    m_statusTable->verticalHeader()->hide();
    m_statusTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_statusTable->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_statusTable, &QTableView::customContextMenuRequested, this,
            &DashboardView::showStatusMenu);
    auto *logBox = new QWidget;
    auto *logLayout = new QVBoxLayout(logBox);
    logLayout->setContentsMargins(0, 0, 0, 0);
    logLayout->addWidget(new QLabel(tr("<b>Alarms and events</b>")));
    logLayout->addWidget(m_log);
    panel->addWidget(sensorsBox);
    panel->addWidget(m_statusTable);
    panel->addWidget(logBox);
    return panel;
}

void DashboardView::showWindow(int seconds) {
    // A dashboard file is applied after the view exists: its window_s arrives with the layout.
    const int i = m_window->findData(seconds);
    if (i >= 0 && i != m_window->currentIndex())
        m_window->setCurrentIndex(i); // the box's handler sets the renderer's window
}

void DashboardView::rebuild() {
    showWindow(m_session.layout().windowS);
    if (m_session.hub().poller().sensors().isEmpty())
        m_cycle->clear(); // only pushed series (MQTT): no poll cycle to tell of
    m_rebuilding = true;
    const auto &layout = m_session.layout();
    auto &hub = m_session.hub();
    QList<ChartPanel *> panels;
    QList<QPair<ChartPanel *, QStringList>> drawn;
    m_sensorList->clear();
    for (const auto &chart : layout.charts) {
        QList<SeriesInfo> infos;
        QStringList ids;
        for (const auto &id : chart) {
            if (!hub.contains(id))
                continue;
            const auto sensor = hub.sensor(id);
            auto *item = new QListWidgetItem(sensor->unit().isEmpty()
                                                 ? sensor->name()
                                                 : sensor->name() + QStringLiteral(" (") +
                                                       sensor->unit() + u')',
                                             m_sensorList);
            item->setData(Qt::UserRole, id);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            const bool visible = !layout.hidden.contains(id);
            item->setCheckState(visible ? Qt::Checked : Qt::Unchecked);
            if (chart.size() > 1)
                item->setToolTip(tr("Shares a chart with %1 other series").arg(chart.size() - 1));
            if (!visible)
                continue;
            const QColor color = QColor::fromString(m_session.colorOf(id));
            infos << SeriesInfo{id,    sensor->name(),     sensor->unit(),
                                color, hub.thresholds(id), hub.stats(id).stale};
            ids << id;
        }
        if (infos.isEmpty())
            continue;
        auto *panel = new ChartPanel;
        connect(panel, &ChartPanel::thresholdsRequested, this, &DashboardView::editThresholds);
        panel->setSeries(infos);
        panel->setTimeSpans(m_timeSpans);
        panels << panel;
        drawn.append({panel, ids});
    }
    m_grid->setPanels(panels);
    m_renderer->setPanels(drawn);
    m_rebuilding = false;
}

void DashboardView::markTimeSpan(const TimeSpan &span) {
    m_timeSpans << span;
    if (m_timeSpans.size() > kMaxTimeSpans)
        m_timeSpans.removeFirst();
    for (auto *panel : panels())
        panel->setTimeSpans(m_timeSpans);
    m_renderer->requestFrame();
}

QString DashboardView::selectedSensor() const {
    // The current item may have just been deselected with Ctrl+click: only a selection counts.
    const auto *item = m_sensorList->currentItem();
    if (item && item->isSelected())
        return item->data(Qt::UserRole).toString();
    const QStringList selected = selectedSensors();
    return selected.size() == 1 ? selected.first() : QString();
}

QStringList DashboardView::selectedSensors() const {
    QStringList ids; // in list order, which is chart order: the first selected is the target
    for (int row = 0; row < m_sensorList->count(); ++row) {
        if (m_sensorList->item(row)->isSelected())
            ids << m_sensorList->item(row)->data(Qt::UserRole).toString();
    }
    return ids;
}

QStringList DashboardView::shownIds() const {
    QStringList ids;
    const auto &layout = m_session.layout();
    for (const auto &id : dashboard::shownIds(layout.charts, layout.hidden)) {
        if (m_session.hub().contains(id))
            ids << id;
    }
    return ids;
}

void DashboardView::setDemoUrlProvider(std::function<QUrl()> demoUrl) {
    m_addMenu->setDemoUrlProvider(std::move(demoUrl));
}

void DashboardView::setPaused(bool paused) {
    m_renderer->setPaused(paused);
    m_pause->setChecked(paused);
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
}

void DashboardView::setSequential(bool sequential) {
    m_session.setSequential(sequential);
    m_mode->button(sequential ? 1 : 0)->setChecked(true);
}

void DashboardView::onCycle(double cycleMs, double sumMs, double maxMs, int reads) {
    if (reads < 2)
        return;
    const bool sequential = m_session.hub().poller().mode() == sensors::Poller::Mode::Sequential;
    if (sequential)
        m_cycle->setText(
            tr("cycle %1 s (%2 reads, one by one) · concurrent would take %3 s — %4× faster")
                .arg(cycleMs / 1000, 0, 'f', 2)
                .arg(reads)
                .arg(maxMs / 1000, 0, 'f', 2)
                .arg(maxMs > 0 ? cycleMs / maxMs : 1, 0, 'f', 1));
    else
        m_cycle->setText(tr("cycle %1 s (%2 reads at once) · sequential would take %3 s — %4×")
                             .arg(cycleMs / 1000, 0, 'f', 2)
                             .arg(reads)
                             .arg(sumMs / 1000, 0, 'f', 2)
                             .arg(cycleMs > 0 ? sumMs / cycleMs : 1, 0, 'f', 1));
}

void DashboardView::addLogLine(const QString &text, const QColor &color) {
    m_log->addLine(text, color);
}

ThresholdsDialog *DashboardView::editThresholds(const QString &id) {
    auto *dialog = ThresholdsDialog::openFor(m_session, id, this);
    if (dialog)
        connect(dialog, &QDialog::accepted, this, [this, id] { Q_EMIT thresholdsEdited(id); });
    return dialog;
}

void DashboardView::addSensorFromMenu(const dashboard::SensorConfig &config) {
    if (m_session.hub().ids().size() >= dashboard::kMaxSensors) {
        addLogLine(tr("%1 not added: a dashboard holds at most %2 sensors")
                       .arg(config.name.isEmpty() ? config.id() : config.name)
                       .arg(dashboard::kMaxSensors),
                   QColor(0xc6, 0x28, 0x28));
        return;
    }
    if (!m_session.addSensor(config))
        addLogLine(tr("%1 is already on the dashboard or not available")
                       .arg(config.name.isEmpty() ? config.id() : config.name));
}

bool DashboardView::exportCsv(const QString &path, bool allHistory, QString *error) {
    // All history is all of it; the visible window is the one on screen, paused or not.
    const qint64 to =
        allHistory ? m_session.clock().wallNow().toMSecsSinceEpoch() : m_renderer->shownTo();
    const qint64 from = allHistory ? 0 : to - m_renderer->window().count();
    return io::writeFileAtomically(path, io::readingsToCsv(m_session.hub(), shownIds(), from, to),
                                   error);
}

bool DashboardView::exportPng(const QString &path, QString *error) {
    m_renderer->renderNow(); // charts off screen or behind another tab are not drawn otherwise
    // The image says what it shows: the dashboard (named in the window) and the time range.
    if (!captionedCharts(m_grid->content(), window()->windowFilePath(), panels())
             .save(path, "PNG")) {
        *error = tr("Cannot write %1").arg(path);
        return false;
    }
    return true;
}

bool DashboardView::setRecording(bool on, const QString &path, QString *error) {
    auto &recorder = m_session.recorder();
    if (!on) {
        recorder.requestStop(); // the session's shutdown() waits for the last flush
        m_capture->showRecording(false);
        addLogLine(tr("Recording stopped: %1 readings in %2")
                       .arg(recorder.recordedCount())
                       .arg(recorder.path()));
        return true;
    }
    if (!recorder.start(path, error))
        return false;
    m_banner->clear();
    m_capture->showRecording(true);
    addLogLine(tr("Recording every reading to %1").arg(path));
    return true;
}

} // namespace vigil::widgets
