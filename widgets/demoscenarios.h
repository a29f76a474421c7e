#pragma once

#include <QStringList>

namespace vigil::widgets {

class MainWindow;

/// The scenario names `vigil --demo NAME` accepts.
[[nodiscard]] QStringList demoScenarioNames();

/// Sets @p window up for a presenter: "batch-fetch" opens the Batch Fetch tab and starts 221
/// compound look-ups against the built-in demo API; "sensors" adds the unreliable sensor, an
/// instrument and this machine's CPU and memory to the dashboard; "downloads" starts twenty
/// capped downloads from the demo API. False for an unknown name.
bool startDemoScenario(MainWindow &window, const QString &name);

} // namespace vigil::widgets
