// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mqttclient.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace vigil::sensors {
class SensorHub;
struct AlarmEvent;
} // namespace vigil::sensors

namespace vigil::mqtt {

/// @brief Publishes a SensorHub's threshold crossings to MQTT, so that other systems can react
/// to Vigil's alarms: `{"sensor", "level", "value", "time"}` at QoS 1, retained, on
/// TOPIC/SENSOR, so a newcomer sees each sensor's latest state at once. A crossing while the
/// broker is away is sent when it is back (the latest per sensor). GUI thread; await stop().
class AlarmPublisher : public QObject {
    Q_OBJECT
public:
    AlarmPublisher(sensors::SensorHub &hub, async::Clock &clock, BrokerAddress broker,
                   QString topic, QObject *parent = nullptr);
    ~AlarmPublisher() override;

    void start();
    [[nodiscard]] QCoro::Task<> stop();
    [[nodiscard]] MqttClient &client() { return *m_client; }
    /// The topic of @p sensorName's alarms: TOPIC/NAME, with + and # (not allowed in a
    /// published topic) made _.
    [[nodiscard]] QString topicFor(const QString &sensorName) const;

private:
    void onAlarm(const sensors::AlarmEvent &event);
    void flush();

    QString m_topic;
    std::unique_ptr<MqttClient> m_client;
    QHash<QString, QByteArray> m_unsent; // by topic: the latest crossing not yet handed over
};

} // namespace vigil::mqtt
