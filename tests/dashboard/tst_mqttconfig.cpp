// SPDX-License-Identifier: Apache-2.0
// MQTT sources in dashboard files: their keys, their errors, and no password ever written.
#include "dashboard/dashboardconfig.h"

#include <QTest>

using namespace vigil;

namespace {
QByteArray withSource(const QByteArray &keys) {
    return "{\"sensors\": [{\"type\": \"mqtt\", " + keys + "}]}";
}
} // namespace

class TestMqttConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyKeyRoundTrips() {
        dashboard::ConfigError error;
        QList<dashboard::ConfigError> warnings;
        const auto c = dashboard::parseDashboard(
            withSource(
                "\"broker\": \"mqtts://broker.plant:8884\", \"topic\": \"plant/+/state\", "
                "\"name\": \"{2}/{field}\", \"unit\": \"°C\", "
                "\"fields\": {\"temp\": \"/s/t\", \"rh\": \"/s/h\"}, \"timestamp\": \"/ts\", "
                "\"qos\": 1, "
                "\"expected_interval_ms\": 5000, \"client_id\": \"vigil-ops\", \"username\": "
                "\"ops\", "
                "\"password_env\": \"PLANT_MQTT_PASSWORD\", \"ca_file\": \"/etc/plant/ca.pem\", "
                "\"cert_file\": \"/etc/plant/me.pem\", \"key_file\": \"/etc/plant/me.key\", "
                "\"protocol\": \"3.1.1\", \"max_series\": 200 "),
            &error, &warnings);
        QVERIFY2(c, qPrintable(error.text()));
        QVERIFY(warnings.isEmpty());
        const auto &m = c->sensors[0].mqtt;
        QCOMPARE(c->sensors[0].id(), QStringLiteral("mqtt:broker.plant:8884/plant/+/state"));
        QCOMPARE(m.fields.size(), 2);
        QCOMPARE(m.namePattern, QStringLiteral("{2}/{field}"));
        QCOMPARE(m.qos, 1);
        QCOMPARE(m.protocol, 4);
        QCOMPARE(m.maxSeries, 200);
        QCOMPARE(m.passwordEnv, QStringLiteral("PLANT_MQTT_PASSWORD"));
        const auto back =
            dashboard::parseDashboard(dashboard::serializeDashboard(*c), &error, &warnings);
        QVERIFY2(back, qPrintable(error.text()));
        QVERIFY(back->sensors[0].mqtt.sameSource(m));
        QCOMPARE(back->sensors[0].unit, QStringLiteral("°C"));
        QVERIFY(warnings.isEmpty());
    }

    void aPasswordFromTheDialogIsNeverWritten() {
        dashboard::DashboardConfig d;
        dashboard::SensorConfig s;
        s.type = QStringLiteral("mqtt");
        s.mqtt.broker = QStringLiteral("mqtt://127.0.0.1:1883");
        s.mqtt.topic = QStringLiteral("a/#");
        s.mqtt.username = QStringLiteral("ops");
        s.mqtt.password = QStringLiteral("tr0ub4dor&3");
        d.sensors << s;
        QStringList dropped;
        const QByteArray json = dashboard::serializeDashboard(d, &dropped);
        QVERIFY(!json.contains("tr0ub4dor"));
        QCOMPARE(dropped.size(), 1);
        QVERIFY(dropped[0].contains(QLatin1String("password of MQTT source")));
        dashboard::ConfigError error;
        QVERIFY2(dashboard::parseDashboard(json, &error), qPrintable(error.text()));
    }

    void aBareTopicNeedsNoFields() {
        dashboard::ConfigError error;
        const auto c = dashboard::parseDashboard(
            withSource("\"broker\": \"mqtt://10.0.0.2\", \"topic\": \"line/speed\""), &error);
        QVERIFY2(c, qPrintable(error.text()));
        QVERIFY(c->sensors[0].mqtt.fields.isEmpty());
        QCOMPARE(c->charts.size(), 1); // the source's own entry until its series appear
    }

    void mistakesNameTheKey_data() {
        QTest::addColumn<QByteArray>("keys");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no broker")
            << QByteArray("\"topic\": \"a\"") << QStringLiteral("sensors[0].broker: is required");
        QTest::newRow("http broker") << QByteArray("\"broker\": \"http://b\", \"topic\": \"a\"")
                                     << QStringLiteral("sensors[0].broker: must start with mqtt");
        QTest::newRow("password in the URL")
            << QByteArray("\"broker\": \"mqtt://ops:secret@b\", \"topic\": \"a\"")
            << QStringLiteral("sensors[0].broker: must not hold a user or password");
        QTest::newRow("bad wildcard")
            << QByteArray("\"broker\": \"mqtt://b\", \"topic\": \"a/#/b\"")
            << QStringLiteral("sensors[0].topic: may use # only");
        QTest::newRow("qos 2") << QByteArray(
                                      "\"broker\": \"mqtt://b\", \"topic\": \"a\", \"qos\": 2")
                               << QStringLiteral("sensors[0].qos: must be a number from 0 to 1");
        QTest::newRow("bad pointer")
            << QByteArray(
                   "\"broker\": \"mqtt://b\", \"topic\": \"a\", \"fields\": {\"t\": \"temp\"}")
            << QStringLiteral("sensors[0].fields.t: must be a JSON pointer");
        QTest::newRow("bad pattern")
            << QByteArray("\"broker\": \"mqtt://b\", \"topic\": \"a\", \"name\": \"{host}\"")
            << QStringLiteral("sensors[0].name: may hold text and {topic}");
        QTest::newRow("ca file without TLS")
            << QByteArray("\"broker\": \"mqtt://b\", \"topic\": \"a\", \"ca_file\": \"/ca.pem\"")
            << QStringLiteral("sensors[0].broker: must start with mqtts://");
        QTest::newRow("cert without key")
            << QByteArray("\"broker\": \"mqtts://b\", \"topic\": \"a\", \"cert_file\": \"/c.pem\"")
            << QStringLiteral("sensors[0].key_file: a client certificate needs both");
        QTest::newRow("password env not a name")
            << QByteArray("\"broker\": \"mqtt://b\", \"topic\": \"a\", \"password_env\": \"$X\"")
            << QStringLiteral("sensors[0].password_env: must name an environment variable");
        QTest::newRow("persistent MQTT 5")
            << QByteArray("\"broker\": \"mqtt://b\", \"topic\": \"a\", \"protocol\": \"5\", "
                          "\"client_id\": \"x\"")
            << QStringLiteral("sensors[0].client_id: a persistent session needs protocol");
        QTest::newRow("protocol 3")
            << QByteArray("\"broker\": \"mqtt://b\", \"topic\": \"a\", \"protocol\": \"3.1\"")
            << QStringLiteral("sensors[0].protocol: must be \"3.1.1\" or \"5\"");
    }

    void mistakesNameTheKey() {
        QFETCH(QByteArray, keys);
        QFETCH(QString, expected);
        dashboard::ConfigError error;
        QVERIFY(!dashboard::parseDashboard(withSource(keys), &error));
        QVERIFY2(error.text().startsWith(expected), qPrintable(error.text()));
    }

    void alarmsOutRoundTripsAndIsChecked() {
        dashboard::ConfigError error;
        QList<dashboard::ConfigError> warnings;
        const auto c = dashboard::parseDashboard(
            "{\"sensors\": [], \"alarms_mqtt\": {\"broker\": \"mqtt://10.0.0.2\", "
            "\"topic\": \"site/alarms\"}}",
            &error, &warnings);
        QVERIFY2(c, qPrintable(error.text()));
        QVERIFY(warnings.isEmpty());
        QCOMPARE(c->alarmsBroker, QStringLiteral("mqtt://10.0.0.2"));
        QCOMPARE(c->alarmsTopic, QStringLiteral("site/alarms"));
        const auto back = dashboard::parseDashboard(dashboard::serializeDashboard(*c), &error);
        QVERIFY(back && back->alarmsTopic == c->alarmsTopic);
        QVERIFY(!dashboard::parseDashboard(
            "{\"sensors\": [], \"alarms_mqtt\": {\"broker\": \"mqtt://b\", "
            "\"topic\": \"a/#\"}}",
            &error));
        QCOMPARE(error.text(), QStringLiteral("alarms_mqtt.topic: must be a topic without + or #"));
        // Without it nothing is written, and nothing is published.
        QVERIFY(
            !dashboard::serializeDashboard(dashboard::DashboardConfig{}).contains("alarms_mqtt"));
    }

    void aTypoIsNamed() {
        dashboard::ConfigError error;
        QList<dashboard::ConfigError> warnings;
        QVERIFY(dashboard::parseDashboard(
            withSource("\"broker\": \"mqtt://b\", \"topic\": \"a\", \"expected_intervall_ms\": 5"),
            &error, &warnings));
        QCOMPARE(warnings.size(), 1);
        QVERIFY(warnings[0].message.contains(QLatin1String("expected_interval_ms")));
    }
};

QTEST_GUILESS_MAIN(TestMqttConfig)
#include "tst_mqttconfig.moc"
