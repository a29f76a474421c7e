// SPDX-License-Identifier: Apache-2.0
// Modbus register sensors in dashboard files: their keys, defaults and field-named errors.
#include "dashboard/dashboardconfig.h"

#include <QTest>

using namespace vigil;

namespace {
QByteArray withSensor(const QByteArray &keys) {
    return "{\"sensors\": [{\"type\": \"modbus\", \"name\": \"flow\", " + keys + "}]}";
}
} // namespace

class TestModbusConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyKeyRoundTrips() {
        dashboard::ConfigError error;
        QList<dashboard::ConfigError> warnings;
        const auto c = dashboard::parseDashboard(
            withSensor("\"host\": \"plc1.plant\", \"port\": 5020, \"unit_id\": 3, \"table\": "
                       "\"input\", \"address\": 100, \"data_type\": \"float32\", \"word_order\": "
                       "\"CDAB\", \"scale\": 0.1, \"offset\": -40, \"max_per_request\": 60, "
                       "\"unit\": \"m3/h\", \"interval_ms\": 250, \"timeout_ms\": 800, "
                       "\"thresholds\": {\"high_alarm\": 90}"),
            &error, &warnings);
        QVERIFY2(c, qPrintable(error.text()));
        QVERIFY(warnings.isEmpty());
        const auto &s = c->sensors[0];
        const auto &m = s.modbus;
        QCOMPARE(s.id(), QStringLiteral("modbus:plc1.plant:5020/3/input/100/float32/CDAB"));
        QCOMPARE(m.unitId, 3);
        QCOMPARE(m.table, modbus::Table::Input);
        QCOMPARE(m.dataType, modbus::DataType::Float32);
        QCOMPARE(m.wordOrder, modbus::WordOrder::CDAB);
        QCOMPARE(m.scale, 0.1);
        QCOMPARE(m.offset, -40.0);
        QCOMPARE(m.maxPerRequest, 60);
        QCOMPARE(s.intervalMs, 250);
        const auto back =
            dashboard::parseDashboard(dashboard::serializeDashboard(*c), &error, &warnings);
        QVERIFY2(back, qPrintable(error.text()));
        QCOMPARE(back->sensors[0].modbus, m);
        QCOMPARE(back->sensors[0].id(), s.id());
        QVERIFY(warnings.isEmpty());
    }

    void defaults() {
        dashboard::ConfigError error;
        const auto c =
            dashboard::parseDashboard(withSensor("\"host\": \"10.0.0.5\", \"address\": 0"), &error);
        QVERIFY2(c, qPrintable(error.text()));
        const auto &m = c->sensors[0].modbus;
        QCOMPARE(m.port, 502);
        QCOMPARE(m.unitId, 1);
        QCOMPARE(m.table, modbus::Table::Holding);
        QCOMPARE(m.dataType, modbus::DataType::UInt16);
        QCOMPARE(m.wordOrder, modbus::WordOrder::ABCD);
        QCOMPARE(m.maxPerRequest, 125);
    }

    void modiconNamesTableAndAddress() {
        dashboard::ConfigError error;
        const auto c = dashboard::parseDashboard(
            withSensor("\"host\": \"plc\", \"modicon\": 30011, \"data_type\": \"int16\""), &error);
        QVERIFY2(c, qPrintable(error.text()));
        QCOMPARE(c->sensors[0].modbus.table, modbus::Table::Input);
        QCOMPARE(c->sensors[0].modbus.address, 10);
        // Written back 0-based, with its table: one way to say it in files Vigil writes.
        const QByteArray saved = dashboard::serializeDashboard(*c);
        QVERIFY(saved.contains("\"address\": 10"));
        QVERIFY(!saved.contains("modicon"));
    }

    void errorsNameTheKey_data() {
        QTest::addColumn<QByteArray>("keys");
        QTest::addColumn<QString>("path");
        QTest::newRow("no host") << QByteArray("\"address\": 0") << QStringLiteral("host");
        QTest::newRow("no address") << QByteArray("\"host\": \"plc\"") << QStringLiteral("address");
        QTest::newRow("both addresses")
            << QByteArray("\"host\": \"plc\", \"address\": 0, \"modicon\": 40001")
            << QStringLiteral("address");
        QTest::newRow("modicon past the end")
            << QByteArray("\"host\": \"plc\", \"modicon\": 465535, \"data_type\": \"float64\"")
            << QStringLiteral("modicon");
        QTest::newRow("host with a port")
            << QByteArray("\"host\": \"plc:502\", \"address\": 0") << QStringLiteral("host");
        QTest::newRow("bad modicon")
            << QByteArray("\"host\": \"plc\", \"modicon\": 20001") << QStringLiteral("modicon");
        QTest::newRow("modicon against table")
            << QByteArray("\"host\": \"plc\", \"modicon\": 40001, \"table\": \"input\"")
            << QStringLiteral("table");
        QTest::newRow("unknown table")
            << QByteArray("\"host\": \"plc\", \"address\": 0, \"table\": \"holdings\"")
            << QStringLiteral("table");
        QTest::newRow("unknown type")
            << QByteArray("\"host\": \"plc\", \"address\": 0, \"data_type\": \"float16\"")
            << QStringLiteral("data_type");
        QTest::newRow("unknown order")
            << QByteArray("\"host\": \"plc\", \"address\": 0, \"word_order\": \"ABDC\"")
            << QStringLiteral("word_order");
        QTest::newRow("type on a coil") << QByteArray("\"host\": \"plc\", \"address\": 0, "
                                                      "\"table\": \"coil\", \"data_type\": "
                                                      "\"int16\"")
                                        << QStringLiteral("data_type");
        QTest::newRow("past the end")
            << QByteArray("\"host\": \"plc\", \"address\": 65534, \"data_type\": \"float64\"")
            << QStringLiteral("address");
        QTest::newRow("unit id") << QByteArray(
                                        "\"host\": \"plc\", \"address\": 0, \"unit_id\": 256")
                                 << QStringLiteral("unit_id");
        QTest::newRow("port") << QByteArray("\"host\": \"plc\", \"address\": 0, \"port\": 0")
                              << QStringLiteral("port");
        QTest::newRow("zero scale") << QByteArray("\"host\": \"plc\", \"address\": 0, \"scale\": 0")
                                    << QStringLiteral("scale");
        QTest::newRow("max per request")
            << QByteArray("\"host\": \"plc\", \"address\": 0, \"max_per_request\": 126")
            << QStringLiteral("max_per_request");
        QTest::newRow("request smaller than the value")
            << QByteArray("\"host\": \"plc\", \"address\": 0, \"data_type\": \"float64\", "
                          "\"max_per_request\": 2")
            << QStringLiteral("max_per_request");
    }
    void errorsNameTheKey() {
        QFETCH(QByteArray, keys);
        QFETCH(QString, path);
        dashboard::ConfigError error;
        QVERIFY(!dashboard::parseDashboard(withSensor(keys), &error));
        QVERIFY2(error.path == QStringLiteral("sensors[0].") + path, qPrintable(error.text()));
    }

    void anUnknownKeyIsAWarning() {
        dashboard::ConfigError error;
        QList<dashboard::ConfigError> warnings;
        QVERIFY(dashboard::parseDashboard(
            withSensor("\"host\": \"plc\", \"address\": 0, \"wordorder\": \"CDAB\""), &error,
            &warnings));
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings[0].text().contains(QLatin1String("word_order")),
                 qPrintable(warnings[0].text()));
    }
};

QTEST_GUILESS_MAIN(TestModbusConfig)
#include "tst_modbusconfig.moc"
