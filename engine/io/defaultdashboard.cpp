#include "dashboardconfig.h"

#include "sensors/simulatedsensor.h"

namespace vigil::io {

DashboardConfig DashboardConfig::defaults()
{
    DashboardConfig d;
    // About ±2σ and ±3σ of each walk's stationary spread (σ_walk ≈ 2.06 × the noise σ), so an
    // amber tile means something and a red one is rare.
    const QList<sensors::Thresholds> bands = {
        {138, 142, 158, 162}, {4.4, 4.6, 5.4, 5.6}, {7, 8, 12, 13}, {19, 21, 29, 31}};
    const auto specs = sensors::processSensorSpecs();
    for (qsizetype i = 0; i < specs.size(); ++i) {
        SensorConfig s;
        s.type = QStringLiteral("simulated");
        s.name = specs[i].name;
        s.unit = specs[i].unit;
        s.setpoint = specs[i].setpoint;
        s.sigma = specs[i].sigma;
        s.latencyMs = int(specs[i].latencyMin.count());
        s.latencyMaxMs = int(specs[i].latencyMax.count());
        s.seed = specs[i].seed;
        s.thresholds = bands[i];
        d.sensors << s;
        d.charts << QStringList{s.id()};
    }
    return d;
}

} // namespace vigil::io
