// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "meanrevertingwalk.h"
#include "sensor.h"

#include "async/clock.h"

#include <random>

namespace vigil::sensors {

/// @brief The parameters of one simulated process sensor.
struct SimulatedSpec {
    QString name;
    QString unit;
    double setpoint = 0;
    double sigma = 1;
    std::chrono::milliseconds latencyMin{100}; ///< read latency, uniform in [min, max]
    std::chrono::milliseconds latencyMax{100};
    quint32 seed = 1;
};

/// The reference process: Reactor_Temp, Reactor_Press, Feed_Flow, Coolant_Temp.
[[nodiscard]] QList<SimulatedSpec> processSensorSpecs();
/// A sensor that answers in 0.1–2.0 s; with its 0.5 s timeout most reads time out.
[[nodiscard]] SimulatedSpec unreliableSensorSpec();

/// @brief A simulated process value behind a read latency: a mean-reverting random walk.
class SimulatedSensor : public Sensor {
public:
    SimulatedSensor(const SimulatedSpec &spec, async::Clock &clock);

    [[nodiscard]] QCoro::Task<double> read(std::stop_token token) override;
    [[nodiscard]] const SimulatedSpec &spec() const { return m_spec; }

private:
    SimulatedSpec m_spec;
    async::Clock &m_clock;
    MeanRevertingWalk m_walk;
    std::mt19937 m_latencyRng;
};

} // namespace vigil::sensors
