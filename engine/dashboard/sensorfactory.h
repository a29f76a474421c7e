#pragma once

#include "dashboardconfig.h"

#include "async/clock.h"
#include "sensors/sensor.h"

#include <memory>

namespace vigil::net {
class HttpClient;
}

namespace vigil::dashboard {

/// Builds the sensor @p config describes. A system sensor this machine lacks gives nullptr: it is
/// simply absent. @p systemRoot is "/" except in tests.
[[nodiscard]] std::shared_ptr<sensors::Sensor>
makeSensor(const SensorConfig &config, async::Clock &clock, net::HttpClient &client,
           const QString &systemRoot = QStringLiteral("/"));

/// The config that describes @p sensor, so a dashboard can be saved. Thresholds are filled by
/// the caller.
[[nodiscard]] SensorConfig describeSensor(const sensors::Sensor &sensor);

} // namespace vigil::dashboard
