// SPDX-License-Identifier: Apache-2.0
// Demo → Modbus plant and Demo → Serial instrument: Vigil's own devices, and dashboards that
// read them.
#include "mainwindow.h"

#include "dashboardview.h"

#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"
#include "demo/modbusplant.h"
#include "demo/serialinstrument.h"

#include <QStatusBar>

namespace vigil::widgets {

void MainWindow::runModbusPlantDemo() {
    if (m_closing)
        return;
    if (!m_modbusDemo) {
        auto server = std::make_unique<demo::ModbusDemoServer>();
        if (!server->listen()) {
            const QString why = tr("Modbus plant demo: %1").arg(server->errorString());
            m_dashboard->addLogLine(why);
            statusBar()->showMessage(why, 30000);
            return;
        }
        m_modbusDemo = std::move(server);
    }
    m_session->applyInBackground(demo::modbusPlantDashboard(m_modbusDemo->port()));
    const QString text =
        tr("Modbus plant: Vigil's own Modbus TCP device on 127.0.0.1:%1 (unit 1), read as "
           "float32, int16, uint16, float64, int32, uint32 and int64 in ABCD, CDAB, BADC and "
           "DCBA order, plus a coil and a discrete input, until Vigil quits")
            .arg(m_modbusDemo->port());
    m_dashboard->addLogLine(text);
    statusBar()->showMessage(tr("Modbus plant on 127.0.0.1:%1: every table, type and word order")
                                 .arg(m_modbusDemo->port()),
                             30000);
}

void MainWindow::runSerialInstrumentDemo() {
    if (m_closing)
        return;
    if (!m_serialDemo) {
        auto instrument = std::make_unique<demo::SerialInstrument>();
        if (!instrument->open()) {
            const QString why = tr("Serial instrument demo: %1").arg(instrument->errorString());
            m_dashboard->addLogLine(why);
            statusBar()->showMessage(why, 30000);
            return;
        }
        m_serialDemo = std::move(instrument);
    }
    m_session->applyInBackground(
        demo::serialInstrumentDashboard(m_serialDemo->devicePath(), m_serialDemo->columns()));
    const QString text =
        tr("Serial instrument: Vigil's own instrument on the pseudo-terminal %1 prints CSV lines "
           "(seq, ts, %2) at 20 Hz until Vigil quits; right-click a series in the status table "
           "and send it \"RATE 100\"")
            .arg(m_serialDemo->devicePath(), m_serialDemo->columns().join(QStringLiteral(", ")));
    m_dashboard->addLogLine(text);
    statusBar()->showMessage(tr("Serial instrument on %1").arg(m_serialDemo->devicePath()), 30000);
}

} // namespace vigil::widgets
