// SPDX-License-Identifier: Apache-2.0
#include "alarmpublisher.h"

#include "sensors/sensorhub.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace vigil::mqtt {

AlarmPublisher::AlarmPublisher(sensors::SensorHub &hub, async::Clock &clock, BrokerAddress broker,
                               QString topic, QObject *parent)
    : QObject(parent)
    , m_topic(std::move(topic)) {
    MqttClient::Options o;
    o.address = std::move(broker);
    m_client = std::make_unique<MqttClient>(clock, o);
    connect(&hub, &sensors::SensorHub::alarmRaised, this, &AlarmPublisher::onAlarm);
    connect(m_client.get(), &MqttClient::stateChanged, this, &AlarmPublisher::flush);
}

AlarmPublisher::~AlarmPublisher() = default;

void AlarmPublisher::start() {
    m_client->start();
}

QCoro::Task<> AlarmPublisher::stop() {
    auto stopping = m_client->stop();
    co_await stopping;
}

QString AlarmPublisher::topicFor(const QString &sensorId, const QString &sensorName) {
    if (const auto it = m_topicOf.constFind(sensorId); it != m_topicOf.cend())
        return *it;
    QString name = sensorName;
    name.replace(u'+', u'_').replace(u'#', u'_');
    // Two sensors of one name (one pattern on two sources) must not share a retained topic.
    QString topic = m_topic + u'/' + name;
    const QStringList taken = m_topicOf.values();
    for (int n = 2; taken.contains(topic); ++n)
        topic = m_topic + u'/' + name + u'_' + QString::number(n);
    m_topicOf.insert(sensorId, topic);
    return topic;
}

void AlarmPublisher::onAlarm(const sensors::AlarmEvent &event) {
    const QJsonObject o{
        {QStringLiteral("sensor"), event.sensorName},
        {QStringLiteral("id"), event.sensorId},
        {QStringLiteral("level"), sensors::alarmLevelName(event.to)},
        {QStringLiteral("value"), event.value},
        {QStringLiteral("time"),
         QDateTime::fromMSecsSinceEpoch(event.timeMs, Qt::UTC).toString(Qt::ISODateWithMs)}};
    m_unsent.insert(topicFor(event.sensorId, event.sensorName),
                    QJsonDocument(o).toJson(QJsonDocument::Compact));
    flush();
}

void AlarmPublisher::flush() {
    if (m_client->state() != MqttClient::State::Connected)
        return; // kept, the latest per sensor, until the broker is back
    for (auto it = m_unsent.begin(); it != m_unsent.end();) {
        if (!m_client->publish(it.key(), it.value(), 1, true))
            return;
        it = m_unsent.erase(it);
    }
}

} // namespace vigil::mqtt
