// SPDX-License-Identifier: Apache-2.0
#include "demoscenarios.h"
#include "waterfallpanel.h"

#include "alarmcolors.h"

#include "dashboardview.h"
#include "demofolder.h"
#include "downloadsview.h"

#include "batchfetchview.h"
#include "batchform.h"
#include "mainwindow.h"

#include "loophealthwidget.h"

#include "compute/offloadbench.h"
#include "dashboard/monitoringsession.h"
#include "demo/demodata.h"
#include "sensors/simulatedsensor.h"

#include <QCoreApplication>
#include <QDir>
#include <QLineEdit>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>

namespace vigil::widgets {

namespace {
/// Shows whether the demo API runs, and where: it starts when a demo first needs it, or from
/// this item, and then serves until Vigil quits (sensors and batches may point at it).
void showDemoServerState(MainWindow &w, QAction *item) {
    const bool running = w.isDemoServerRunning();
    item->setChecked(running);
    item->setText(running
                      ? MainWindow::tr("Demo &API server on %1").arg(w.demoServerUrl().authority())
                      : MainWindow::tr("Demo &API server (off until a demo needs it)"));
}

} // namespace

void addDemoMenu(MainWindow &w, QMenuBar *bar) {
    auto *menu = bar->addMenu(MainWindow::tr("&Demo"));
    menu->addAction(MainWindow::tr("&Block vs offload (1.5 s CPU job)"), &w,
                    &MainWindow::runBlockVsOffloadDemo);
    menu->addAction(MainWindow::tr("&MQTT plant (private broker)"), &w,
                    [&w] { w.runMqttPlantDemoInBackground(); });
    menu->addAction(MainWindow::tr("M&odbus plant (Vigil's own device on 127.0.0.1)"), &w,
                    &MainWindow::runModbusPlantDemo);
    menu->addAction(MainWindow::tr("&Serial instrument (a pseudo-terminal)"), &w,
                    &MainWindow::runSerialInstrumentDemo);
    auto *server = menu->addAction(QString());
    server->setObjectName(QStringLiteral("demoApiServer"));
    server->setCheckable(true);
    showDemoServerState(w, server);
    QObject::connect(menu, &QMenu::aboutToShow, server, [&w, server] {
        showDemoServerState(w, server); // a demo may have started it since
    });
    QObject::connect(server, &QAction::triggered, &w, [&w, server] {
        const QString url = w.demoServerUrl().toString(); // starts it when off; never stops it
        showDemoServerState(w, server);
        if (!w.isDemoServerRunning())
            return; // the status bar says why
        const QString text = MainWindow::tr("Demo API serving on %1 (127.0.0.1 only) until Vigil "
                                            "quits. Try %1/compound/caffeine or %1/item/7?ms=200")
                                 .arg(url);
        w.dashboard()->addLogLine(text);
        w.statusBar()->showMessage(text, 30000);
    });
}

QStringList demoScenarioNames() {
    return {QStringLiteral("batch-fetch"), QStringLiteral("polite"),    QStringLiteral("waterfall"),
            QStringLiteral("sensors"),     QStringLiteral("downloads"), QStringLiteral("mqtt"),
            QStringLiteral("modbus"),      QStringLiteral("serial")};
}

bool startDemoScenario(MainWindow &window, const QString &name) {
    if (name == QLatin1String("serial")) {
        window.runSerialInstrumentDemo(); // Vigil's own instrument on a pty, read as serial lines
        return true;
    }
    if (name == QLatin1String("modbus")) {
        window.runModbusPlantDemo(); // Vigil's own Modbus TCP device and a dashboard reading it
        return true;
    }
    if (name == QLatin1String("mqtt")) {
        window.runMqttPlantDemoInBackground(); // a private mosquitto and the plant publisher
        return true;
    }
    if (name == QLatin1String("downloads")) {
        // Twenty files of 2–6 MB from the built-in demo API under a 12 MB/s cap, into a
        // temporary folder: long enough to watch rows and the chart move.
        auto *view = window.downloads();
        qobject_cast<QTabWidget *>(window.centralWidget())->setCurrentWidget(view);
        const QString base = window.demoServerUrl().toString();
        QStringList urls;
        for (int i = 0; i < 20; ++i)
            urls << base + QStringLiteral("/bytes/%1?name=sample-%2.bin")
                               .arg(2000000 + (i * 977777) % 4000000)
                               .arg(i + 1, 2, 10, QLatin1Char('0'));
        view->urlsEdit()->setPlainText(urls.join(u'\n'));
        view->folderEdit()->setText(DemoFolder::path()); // removed when the app quits
        view->limitEdit()->setText(QStringLiteral("12M"));
        view->start();
        return true;
    }
    if (name == QLatin1String("sensors")) {
        // The default four, plus the unreliable one (gaps), an instrument (lifecycle in the log)
        // and this machine's CPU and memory.
        auto &session = window.session();
        session.addSensor(dashboard::simulatedSensorConfig(sensors::unreliableSensorSpec()));
        dashboard::SensorConfig instrument;
        instrument.type = QStringLiteral("instrument");
        instrument.name = QStringLiteral("Probe_1");
        session.addSensor(instrument);
        for (const auto *id : {"system:cpu", "system:memory"}) {
            dashboard::SensorConfig system;
            system.type = QStringLiteral("system");
            system.systemId = QLatin1String(id);
            system.intervalMs = 1000;
            system.timeoutMs = 1000;
            session.addSensor(system);
        }
        return true;
    }
    if (name == QLatin1String("batch-fetch")) {
        auto *view = window.batchFetch();
        auto *tabs = qobject_cast<QTabWidget *>(window.centralWidget());
        tabs->setCurrentWidget(view);
        view->form()->applyPreset(BatchForm::DemoCompounds);
        QStringList items;
        for (int round = 0; round < 10; ++round)
            items += demo::compoundNames();
        items << QStringLiteral("unobtainium"); // one honest 404 among them
        view->form()->itemsEdit()->setPlainText(items.join(u'\n'));
        view->form()->concurrencyBox()->setValue(8);
        view->start();
        return true;
    }
    // polite: a limit nobody announced, learned live; waterfall: the same batch on its timeline,
    // where the items' waits for their host show beside their time on the wire.
    if (name == QLatin1String("polite") || name == QLatin1String("waterfall")) {
        auto *view = window.batchFetch();
        qobject_cast<QTabWidget *>(window.centralWidget())->setCurrentWidget(view);
        if (name == QLatin1String("waterfall"))
            view->findChild<QTabWidget *>()->setCurrentWidget(view->waterfall());
        view->form()->applyPreset(BatchForm::RateLimited);
        view->start();
        return true;
    }
    return false;
}

QString blockVsOffloadVerdict(const compute::OffloadBenchResult &r) {
    using Health = LoopHealthWidget::Health;
    const auto tr = [](const char *text) { return QCoreApplication::translate("Demo", text); };
    const auto ms = [](double v, int decimals) { return QString::number(v, 'f', decimals); };
    const QString frame = ms(LoopHealthWidget::kFrameMs, 0);
    const QString stall = ms(LoopHealthWidget::kVisibleStallMs, 0);
    const QString blocked = ms(r.blockedLagMaxMs, 0);
    const QString offloaded = ms(r.offloadedLagMaxMs, 1);
    QString text = tr("Block vs offload (%1 ms job): ").arg(ms(r.jobMs, 0));
    if (LoopHealthWidget::classify(r.blockedLagMaxMs) == Health::Blocked)
        text += tr("on the GUI thread the loop stalled %1 ms: the charts froze. ").arg(blocked);
    else
        text += tr("on the GUI thread the loop stalled %1 ms, under a visible stall (%2 ms). ")
                    .arg(blocked, stall);
    switch (LoopHealthWidget::classify(r.offloadedLagMaxMs)) {
    case Health::Good:
        return text + tr("On the compute pool the worst lag was %1 ms, under one frame (%2 ms): "
                         "the charts kept moving.")
                          .arg(offloaded, frame);
    case Health::Strained:
        return text + tr("On the compute pool the worst lag was %1 ms, over one frame (%2 ms) but "
                         "under a visible stall (%3 ms): the charts moved with small hitches.")
                          .arg(offloaded, frame, stall);
    case Health::Blocked:
        break;
    }
    return text + tr("On the compute pool the worst lag was %1 ms, a visible stall (%2 ms or "
                     "more) although the job ran off the GUI thread: other work on that thread, "
                     "such as redrawing the charts, took that long ('vigil bench offload', with "
                     "no charts, measures the job alone).")
                      .arg(offloaded, stall);
}

QList<TimeSpan> blockVsOffloadSpans(const compute::OffloadBenchResult &r) {
    const auto tr = [](const char *text) { return QCoreApplication::translate("Demo", text); };
    const auto ms = [](double v) { return QString::number(v, 'f', 0); };
    return {
        {r.blockedFromMs, r.blockedToMs, tr("GUI thread blocked %1 ms").arg(ms(r.blockedLagMaxMs)),
         alarmcolors::line(sensors::AlarmLevel::Alarm)},
        {r.offloadedFromMs, r.offloadedToMs, tr("on the compute pool"), QColor(0x2e, 0x7d, 0x32)}};
}

} // namespace vigil::widgets
