// SPDX-License-Identifier: Apache-2.0
#include "simulatedsensor.h"

#include "async/sleep.h"

namespace vigil::sensors {

using namespace std::chrono_literals;

QList<SimulatedSpec> processSensorSpecs() {
    return {
        {QStringLiteral("Reactor_Temp"), QStringLiteral("°C"), 150, 2, 300ms, 300ms, 11},
        {QStringLiteral("Reactor_Press"), QStringLiteral("bar"), 5, 0.1, 200ms, 200ms, 12},
        {QStringLiteral("Feed_Flow"), QStringLiteral("L/min"), 10, 0.5, 250ms, 250ms, 13},
        {QStringLiteral("Coolant_Temp"), QStringLiteral("°C"), 25, 1, 150ms, 150ms, 14},
    };
}

SimulatedSpec unreliableSensorSpec() {
    return {QStringLiteral("Unreliable_Level"), QStringLiteral("%"), 60, 3, 100ms, 2000ms, 15};
}

SimulatedSensor::SimulatedSensor(const SimulatedSpec &spec, async::Clock &clock)
    : Sensor(QStringLiteral("sim:") + spec.name, spec.name, spec.unit, SensorKind::Simulated)
    , m_spec(spec)
    , m_clock(clock)
    , m_walk(spec.setpoint, spec.sigma, 0.1, spec.seed)
    , m_latencyRng(spec.seed ^ 0x9e3779b9u) {
    if (spec.latencyMax >= 1000ms)
        setTimeout(500ms); // the unreliable one: most reads must visibly time out
}

QCoro::Task<double> SimulatedSensor::read(std::stop_token token) {
    std::uniform_int_distribution<qint64> latency(m_spec.latencyMin.count(),
                                                  m_spec.latencyMax.count());
    co_await async::sleepFor(m_clock, std::chrono::milliseconds(latency(m_latencyRng)), token);
    co_return m_walk.next();
}

} // namespace vigil::sensors
