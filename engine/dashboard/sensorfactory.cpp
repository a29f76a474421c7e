// SPDX-License-Identifier: Apache-2.0
#include "sensorfactory.h"

#include "dashboardsecrets.h"

#include "modbus/registersensor.h"
#include "sensors/httpjsonsensor.h"
#include "sensors/instrumentsensor.h"
#include "sensors/simulatedsensor.h"
#include "sensors/systemsensor.h"

namespace vigil::dashboard {

std::shared_ptr<sensors::Sensor> makeSensor(const SensorConfig &c, async::Clock &clock,
                                            net::HttpClient &client, const QString &systemRoot,
                                            QStringList *problems) {
    std::shared_ptr<sensors::Sensor> sensor;
    if (c.type == QLatin1String("simulated")) {
        sensor = std::make_shared<sensors::SimulatedSensor>(
            sensors::SimulatedSpec{c.name, c.unit, c.setpoint, c.sigma,
                                   std::chrono::milliseconds(c.latencyMs),
                                   std::chrono::milliseconds(c.latencyMaxMs), c.seed},
            clock);
    } else if (c.type == QLatin1String("instrument")) {
        sensor = std::make_shared<sensors::InstrumentSensor>(c.name, clock, c.seed);
    } else if (c.type == QLatin1String("http_json")) {
        QStringList unresolved;
        sensors::HttpJsonSpec spec{c.name,
                                   c.unit,
                                   c.url,
                                   c.pointer,
                                   resolvedHeaders(c, problems ? problems : &unresolved),
                                   c.secretHeaders};
        // A value taken from the environment is a secret, whatever its header's name.
        for (const auto &[name, variable] : c.headersEnv)
            spec.secretHeaders.append(name);
        // The id leaves the URL's secrets out: ids are saved and shown.
        sensor = std::make_shared<sensors::HttpJsonSensor>(std::move(spec), client, c.id());
    } else if (c.type == QLatin1String("system")) {
        for (auto &s : sensors::discoverSystemSensors(systemRoot, clock)) {
            if (s->id() == c.systemId)
                sensor = s;
        }
    }
    if (sensor) {
        sensor->setInterval(std::chrono::milliseconds(c.intervalMs));
        sensor->setTimeout(std::chrono::milliseconds(c.timeoutMs));
    }
    return sensor;
}

SensorConfig describeSensor(const sensors::Sensor &sensor) {
    SensorConfig c;
    c.name = sensor.name();
    c.unit = sensor.unit();
    c.intervalMs = int(sensor.interval().count());
    c.timeoutMs = int(sensor.timeout().count());
    switch (sensor.kind()) {
    case sensors::SensorKind::Simulated: {
        const auto &spec = static_cast<const sensors::SimulatedSensor &>(sensor).spec();
        c.type = QStringLiteral("simulated");
        c.setpoint = spec.setpoint;
        c.sigma = spec.sigma;
        c.latencyMs = int(spec.latencyMin.count());
        c.latencyMaxMs = int(spec.latencyMax.count());
        c.seed = spec.seed;
        break;
    }
    case sensors::SensorKind::Instrument:
        c.type = QStringLiteral("instrument");
        break;
    case sensors::SensorKind::System:
        c.type = QStringLiteral("system");
        c.systemId = sensor.id();
        break;
    case sensors::SensorKind::Modbus:
        c.type = QStringLiteral("modbus");
        c.modbus = static_cast<const modbus::RegisterSensor &>(sensor).spec();
        break;
    case sensors::SensorKind::Stream: // its source's config describes it
        c.type = QStringLiteral("stream");
        break;
    case sensors::SensorKind::HttpJson: {
        const auto &spec = static_cast<const sensors::HttpJsonSensor &>(sensor).spec();
        c.type = QStringLiteral("http_json");
        c.url = spec.url;
        c.pointer = spec.pointer;
        c.headers = spec.headers;
        break;
    }
    }
    return c;
}

} // namespace vigil::dashboard
