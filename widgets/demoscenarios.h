// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "timespanmarks.h"

#include <QStringList>

class QMenuBar;

namespace vigil::compute {
struct OffloadBenchResult;
}

namespace vigil::widgets {

class MainWindow;

/// The Demo menu: block vs offload, the MQTT and Modbus plants, the demo API server.
void addDemoMenu(MainWindow &window, QMenuBar *bar);

/// The scenario names `vigil --demo NAME` accepts.
[[nodiscard]] QStringList demoScenarioNames();

/// Sets @p window up for a presenter: "batch-fetch" opens the Batch Fetch tab and starts 221
/// compound look-ups against the built-in demo API; "sensors" adds the unreliable sensor, an
/// instrument and this machine's CPU and memory to the dashboard; "downloads" starts twenty
/// capped downloads from the demo API; "mqtt" runs Demo → MQTT plant, "modbus" Demo → Modbus
/// plant, "serial" Demo → Serial instrument. False for an unknown name.
bool startDemoScenario(MainWindow &window, const QString &name);

/// The block-vs-offload demo's verdict, from its numbers: a worst lag under one frame
/// (LoopHealthWidget::kFrameMs) kept the charts moving, under kVisibleStallMs they stuttered,
/// above it they stalled, whichever thread the job ran on.
[[nodiscard]] QString blockVsOffloadVerdict(const compute::OffloadBenchResult &result);

/// Where the block-vs-offload demo's two halves fall on the charts: the stall on the GUI thread,
/// then the same job on the compute pool.
[[nodiscard]] QList<TimeSpan> blockVsOffloadSpans(const compute::OffloadBenchResult &result);

} // namespace vigil::widgets
