// SPDX-License-Identifier: Apache-2.0
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
/// simply absent. @p systemRoot is "/" except in tests. An HTTP sensor's ${ENV} references and
/// headers_env are resolved here, at start, and never written back; a header that cannot be
/// resolved is not sent, and @p problems says why.
[[nodiscard]] std::shared_ptr<sensors::Sensor>
makeSensor(const SensorConfig &config, async::Clock &clock, net::HttpClient &client,
           const QString &systemRoot = QStringLiteral("/"), QStringList *problems = nullptr);

/// The config that describes @p sensor, so a dashboard can be saved. Thresholds are filled by
/// the caller. An HTTP sensor's headers are the resolved ones: keep its SensorConfig to save it.
[[nodiscard]] SensorConfig describeSensor(const sensors::Sensor &sensor);

} // namespace vigil::dashboard
