// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

#include <memory>

namespace vigil::demo {
class MosquittoProcess;
class MqttDemoPublisher;
} // namespace vigil::demo

namespace vigil::widgets {

/// @brief "Demo → MQTT plant": a private mosquitto on 127.0.0.1 and Vigil's own publisher of
/// the simulated plant, running until Vigil quits. GUI thread; await shutdown() before it goes.
class MqttPlantDemo {
public:
    MqttPlantDemo();
    MqttPlantDemo(const MqttPlantDemo &) = delete;
    MqttPlantDemo &operator=(const MqttPlantDemo &) = delete;
    ~MqttPlantDemo();

    /// Starts the broker and the publisher, once; returns the broker's URL, or throws
    /// std::runtime_error saying why not (mosquitto is missing: which package to install).
    [[nodiscard]] QCoro::Task<QString> start();
    /// Stops the publisher, then the broker. Idempotent.
    [[nodiscard]] QCoro::Task<> shutdown();
    [[nodiscard]] bool isRunning() const { return m_publisher != nullptr; }

private:
    std::unique_ptr<demo::MosquittoProcess> m_broker;
    std::unique_ptr<demo::MqttDemoPublisher> m_publisher;
    bool m_starting = false;
};

} // namespace vigil::widgets
