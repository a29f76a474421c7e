// SPDX-License-Identifier: Apache-2.0
#include "dashboardconfig.h"

#include "sensors/simulatedsensor.h"

namespace vigil::dashboard {

SensorConfig simulatedSensorConfig(const sensors::SimulatedSpec &spec) {
    SensorConfig s;
    s.type = QStringLiteral("simulated");
    s.name = spec.name;
    s.unit = spec.unit;
    s.setpoint = spec.setpoint;
    s.sigma = spec.sigma;
    s.latencyMs = int(spec.latencyMin.count());
    s.latencyMaxMs = int(spec.latencyMax.count());
    s.seed = spec.seed;
    if (spec.latencyMax >= std::chrono::seconds(1))
        s.timeoutMs = 500; // the unreliable one: most reads must visibly time out
    return s;
}

DashboardConfig DashboardConfig::defaults() {
    DashboardConfig d;
    // About ±2σ and ±3σ of each walk's stationary spread (σ_walk ≈ 2.06 × the noise σ), so an
    // amber tile means something and a red one is rare.
    const QList<sensors::Thresholds> bands = {
        {138, 142, 158, 162}, {4.4, 4.6, 5.4, 5.6}, {7, 8, 12, 13}, {19, 21, 29, 31}};
    const auto specs = sensors::processSensorSpecs();
    for (qsizetype i = 0; i < specs.size(); ++i) {
        SensorConfig s = simulatedSensorConfig(specs[i]);
        s.thresholds = bands[i];
        d.sensors << s;
        d.charts << QStringList{s.id()};
    }
    return d;
}

} // namespace vigil::dashboard
