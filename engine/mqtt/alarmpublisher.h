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
    /// The topic of a sensor's alarms: TOPIC/NAME, with + and # (not allowed in a published
    /// topic) made _, and NAME_2, NAME_3… for a later sensor of the same name.
    [[nodiscard]] QString topicFor(const QString &sensorId, const QString &sensorName);

private:
    void onAlarm(const sensors::AlarmEvent &event);
    void flush();

    QString m_topic;
    std::unique_ptr<MqttClient> m_client;
    QHash<QString, QByteArray> m_unsent; // by topic: the latest crossing not yet handed over
    QHash<QString, QString> m_topicOf;   // sensor id -> its topic, fixed once given
};

} // namespace vigil::mqtt
