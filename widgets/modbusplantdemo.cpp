// SPDX-License-Identifier: Apache-2.0
// Demo → Modbus plant: Vigil's own Modbus TCP device, and a dashboard that reads it.
#include "mainwindow.h"

#include "dashboardview.h"

#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"
#include "demo/modbusplant.h"

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

} // namespace vigil::widgets
