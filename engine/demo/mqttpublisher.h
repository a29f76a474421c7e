// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "async/clock.h"
#include "async/taskscope.h"
#include "mqtt/mqttclient.h"

#include <QCoroTask>
#include <QObject>

#include <memory>

namespace vigil::dashboard {
struct DashboardConfig;
}

namespace vigil::demo {

/// @brief What the demo publisher sends.
struct PublishPlan {
    /// 0: the simulated plant (process sensors, pumps, a 1 kHz vibration channel in batches);
    /// N: load/0 … load/N-1, each with {"v": sequence, "ts": ms}
    int topics = 0;
    double rateHz = 10; ///< per topic (load); 0: as fast as the broker takes them
    int qos = 0;
    double seconds = 0; ///< 0: until stop()
};

/// @brief Vigil's own MQTT publisher for the offline demo, the benchmark and the tests
/// (`vigil serve-demo --mqtt URL`). GUI thread; await stop() before destruction.
class MqttDemoPublisher : public QObject {
    Q_OBJECT
public:
    MqttDemoPublisher(async::Clock &clock, mqtt::BrokerAddress broker, PublishPlan plan,
                      QObject *parent = nullptr);
    ~MqttDemoPublisher() override;

    void start();
    [[nodiscard]] QCoro::Task<> stop();
    /// Messages handed to the broker connection so far.
    [[nodiscard]] qint64 published() const { return m_published; }
    /// Why nothing was published: the broker could not be reached in time. Empty otherwise.
    [[nodiscard]] const QString &error() const { return m_error; }
    /// Of those, the ones the broker has taken (PUBACKed at QoS 1).
    [[nodiscard]] qint64 acknowledged() const { return m_client->acknowledged(); }
    [[nodiscard]] mqtt::MqttClient &client() { return *m_client; }

Q_SIGNALS:
    /// The planned seconds are over and every message has left, or the broker could not be
    /// reached (error()).
    void finished();

private:
    QCoro::Task<> run(std::stop_token token);
    void publishPlant(qint64 nowMs);
    /// Publishes @p due load messages; returns how many could not go (the broker is away).
    qint64 publishLoad(qint64 due, qint64 nowMs);
    bool publish(const QString &topic, const QByteArray &payload);

    async::Clock &m_clock;
    PublishPlan m_plan;
    std::unique_ptr<mqtt::MqttClient> m_client;
    struct Plant;
    std::unique_ptr<Plant> m_plant;
    qint64 m_published = 0;
    QString m_error;
    async::TaskScope m_tasks;
};

/// The dashboard of the offline MQTT demo: the plant's process values (one wildcard source), its
/// pumps (two fields each) and its 1 kHz vibration channel, from the broker at @p brokerUrl.
[[nodiscard]] dashboard::DashboardConfig mqttPlantDashboard(const QString &brokerUrl);

} // namespace vigil::demo
