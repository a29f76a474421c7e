// SPDX-License-Identifier: Apache-2.0
// Alarms out: threshold crossings published to a real mosquitto, seen by mosquitto_sub.
#include "asynctest.h"
#include "mosquittobroker.h"

#include "mqtt/alarmpublisher.h"
#include "sensors/sensorhub.h"
#include "sensors/streamseries.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace vigil;
using test::MosquittoBroker;

namespace {
/// Starts mosquitto_sub in @p sub for one message on @p filter, printed "topic payload".
void subscribeOnce(const MosquittoBroker &broker, const QString &filter, QProcess &sub) {
    sub.start(QStringLiteral("mosquitto_sub"),
              {QStringLiteral("-p"), QString::number(broker.port()), QStringLiteral("-t"), filter,
               QStringLiteral("-v"), QStringLiteral("-C"), QStringLiteral("1"),
               QStringLiteral("-W"), QStringLiteral("10")});
}
} // namespace

class TestAlarmPublisher : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        if (MosquittoBroker::binary().isEmpty())
            QSKIP("mosquitto is not installed");
    }

    void twoSensorsOfOneNameGetTopicsOfTheirOwn() {
        sensors::SensorHub hub(async::Clock::system());
        mqtt::AlarmPublisher alarms(
            hub, async::Clock::system(),
            *mqtt::parseBrokerUrl(QStringLiteral("mqtt://127.0.0.1:1"), nullptr),
            QStringLiteral("a"));
        QCOMPARE(alarms.topicFor(QStringLiteral("id1"), QStringLiteral("pump/rpm")),
                 QStringLiteral("a/pump/rpm"));
        QCOMPARE(alarms.topicFor(QStringLiteral("id2"), QStringLiteral("pump/rpm")),
                 QStringLiteral("a/pump/rpm_2"));
        QCOMPARE(alarms.topicFor(QStringLiteral("id1"), QStringLiteral("pump/rpm")),
                 QStringLiteral("a/pump/rpm")); // fixed once given
        QCOMPARE(alarms.topicFor(QStringLiteral("id3"), QStringLiteral("+#")),
                 QStringLiteral("a/__"));
    }

    void aCrossingReachesMosquittoSubRetainedPerSensor() {
        MosquittoBroker broker;
        QVERIFY(broker.isRunning());
        sensors::SensorHub hub(async::Clock::system());
        sensors::Thresholds bands;
        bands.highAlarm = 100;
        hub.addStream(std::make_shared<sensors::StreamSeries>(
                          QStringLiteral("s"), QStringLiteral("boiler+1"), QStringLiteral("°C"),
                          QStringLiteral("src"), std::make_shared<sensors::StreamStatus>()),
                      bands);
        mqtt::AlarmPublisher alarms(hub, async::Clock::system(),
                                    *mqtt::parseBrokerUrl(broker.url(), nullptr),
                                    QStringLiteral("site/alarms"));
        alarms.start();
        QTRY_COMPARE_WITH_TIMEOUT(alarms.client().state(), mqtt::MqttClient::State::Connected,
                                  10000);
        QProcess live;
        subscribeOnce(broker, QStringLiteral("site/alarms/#"), live);
        QVERIFY(live.waitForStarted());
        test::spin(std::chrono::milliseconds(300)); // subscribed
        sensors::Reading r;
        r.timeMs = 1764590400000;
        r.value = 150;
        hub.ingest(QStringLiteral("s"), r);
        QVERIFY(live.waitForFinished(10000));
        const QString line = QString::fromUtf8(live.readAllStandardOutput()).trimmed();
        QVERIFY2(line.startsWith(QLatin1String("site/alarms/boiler_1 ")), qPrintable(line));
        const QJsonObject o = QJsonDocument::fromJson(line.section(u' ', 1).toUtf8()).object();
        QCOMPARE(o.value(QStringLiteral("sensor")).toString(), QStringLiteral("boiler+1"));
        QCOMPARE(o.value(QStringLiteral("level")).toString(), QStringLiteral("alarm"));
        QCOMPARE(o.value(QStringLiteral("value")).toDouble(), 150.0);
        QCOMPARE(o.value(QStringLiteral("time")).toString(),
                 QStringLiteral("2025-12-01T12:00:00.000Z"));
        // Retained: a system that subscribes later learns the state at once.
        QProcess late;
        subscribeOnce(broker, QStringLiteral("site/alarms/#"), late);
        QVERIFY(late.waitForFinished(10000));
        QVERIFY(late.readAllStandardOutput().contains("\"level\":\"alarm\""));
        QVERIFY(test::drive(alarms.stop()).isOk());
    }
};

QTEST_GUILESS_MAIN(TestAlarmPublisher)
#include "tst_alarmpublisher.moc"
