// SPDX-License-Identifier: Apache-2.0
// MonitoringSession's field devices: Modbus registers on shared connections.
#include "monitoringsession.h"

#include "modbus/devicepool.h"
#include "modbus/registersensor.h"

namespace vigil::dashboard {

std::shared_ptr<sensors::Sensor> MonitoringSession::makeRegisterSensor(const SensorConfig &config) {
    auto sensor = std::make_shared<modbus::RegisterSensor>(config.modbus, config.name, config.unit,
                                                           *m_modbus);
    sensor->setInterval(std::chrono::milliseconds(config.intervalMs));
    sensor->setTimeout(std::chrono::milliseconds(config.timeoutMs));
    return sensor;
}

} // namespace vigil::dashboard
