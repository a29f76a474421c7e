#include "demoscenarios.h"

#include "batchfetchview.h"
#include "batchform.h"
#include "mainwindow.h"

#include "demo/demodata.h"
#include "io/monitoringsession.h"
#include "sensors/simulatedsensor.h"

#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTabWidget>

namespace vigil::widgets {

QStringList demoScenarioNames()
{
    return {QStringLiteral("batch-fetch"), QStringLiteral("sensors")};
}

bool startDemoScenario(MainWindow &window, const QString &name)
{
    if (name == QLatin1String("sensors")) {
        // The default four, plus the unreliable one (gaps), an instrument (lifecycle in the log)
        // and this machine's CPU and memory.
        auto &session = window.session();
        const auto spec = sensors::unreliableSensorSpec();
        io::SensorConfig unreliable;
        unreliable.type = QStringLiteral("simulated");
        unreliable.name = spec.name;
        unreliable.unit = spec.unit;
        unreliable.setpoint = spec.setpoint;
        unreliable.sigma = spec.sigma;
        unreliable.latencyMs = int(spec.latencyMin.count());
        unreliable.latencyMaxMs = int(spec.latencyMax.count());
        unreliable.timeoutMs = 500;
        session.addSensor(unreliable);
        io::SensorConfig instrument;
        instrument.type = QStringLiteral("instrument");
        instrument.name = QStringLiteral("Probe_1");
        session.addSensor(instrument);
        for (const auto *id : {"system:cpu", "system:memory"}) {
            io::SensorConfig system;
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
    return false;
}

} // namespace vigil::widgets
