// SPDX-License-Identifier: Apache-2.0
// Line sources in dashboard files: their keys, defaults and field-named errors.
#include "dashboard/dashboardconfig.h"

#include <QTest>

using namespace vigil;

namespace {
QByteArray withSource(const QByteArray &keys) {
    return "{\"sensors\": [{\"type\": \"lines\", " + keys + "}]}";
}
} // namespace

class TestLinesConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyKeyRoundTrips_data() {
        QTest::addColumn<QByteArray>("keys");
        QTest::addColumn<QString>("id");
        QTest::newRow("serial csv")
            << QByteArray("\"device\": \"/dev/ttyACM0\", \"baud\": 9600, \"framing\": \"7E1\", "
                          "\"columns\": [\"t\", \"temp\"], \"timestamp\": \"t\", \"name\": "
                          "\"bench {field}\", \"unit\": \"°C\", \"expected_interval_ms\": 2000")
            << QStringLiteral("lines:serial:/dev/ttyACM0");
        QTest::newRow("tcp kv") << QByteArray("\"transport\": \"tcp\", \"url\": "
                                              "\"tcp://10.0.0.9:4001\", \"format\": \"kv\"")
                                << QStringLiteral("lines:tcp://10.0.0.9:4001");
        QTest::newRow("udp json") << QByteArray("\"transport\": \"udp\", \"url\": "
                                                "\"udp://127.0.0.1:9870\", \"format\": \"json\", "
                                                "\"fields\": {\"x\": \"/pos/x\"}, \"timestamp\": "
                                                "\"/ts\", \"max_series\": 20")
                                  << QStringLiteral("lines:udp://127.0.0.1:9870");
    }
    void everyKeyRoundTrips() {
        QFETCH(QByteArray, keys);
        QFETCH(QString, id);
        dashboard::ConfigError error;
        QList<dashboard::ConfigError> warnings;
        const auto c = dashboard::parseDashboard(withSource(keys), &error, &warnings);
        QVERIFY2(c, qPrintable(error.text()));
        QVERIFY(warnings.isEmpty());
        QCOMPARE(c->sensors[0].id(), id);
        QVERIFY(c->sensors[0].isStream());
        const auto back =
            dashboard::parseDashboard(dashboard::serializeDashboard(*c), &error, &warnings);
        QVERIFY2(back, qPrintable(error.text()));
        QVERIFY(warnings.isEmpty());
        const auto &a = c->sensors[0].lines;
        const auto &b = back->sensors[0].lines;
        QCOMPARE(b.where(), a.where());
        QCOMPARE(b.baud, a.baud);
        QCOMPARE(b.framing, a.framing);
        QCOMPARE(b.columns, a.columns);
        QCOMPARE(b.fields, a.fields);
        QCOMPARE(b.timestamp, a.timestamp);
        QCOMPARE(b.namePattern, a.namePattern);
        QCOMPARE(b.expectedIntervalMs, a.expectedIntervalMs);
        QCOMPARE(b.maxSeries, a.maxSeries);
    }

    void errorsNameTheKey_data() {
        QTest::addColumn<QByteArray>("keys");
        QTest::addColumn<QString>("path");
        QTest::newRow("no device") << QByteArray("\"baud\": 9600") << QStringLiteral("device");
        QTest::newRow("transport")
            << QByteArray("\"transport\": \"usb\"") << QStringLiteral("transport");
        QTest::newRow("format") << QByteArray("\"device\": \"/dev/ttyS0\", \"format\": \"xml\"")
                                << QStringLiteral("format");
        QTest::newRow("framing") << QByteArray("\"device\": \"/dev/ttyS0\", \"framing\": \"8X1\"")
                                 << QStringLiteral("framing");
        QTest::newRow("tcp url") << QByteArray("\"transport\": \"tcp\", \"url\": \"h:4001\"")
                                 << QStringLiteral("url");
        QTest::newRow("json without fields")
            << QByteArray("\"device\": \"/dev/ttyS0\", \"format\": \"json\"")
            << QStringLiteral("fields");
        QTest::newRow("bad pointer") << QByteArray("\"device\": \"/dev/ttyS0\", \"format\": "
                                                   "\"json\", \"fields\": {\"x\": \"x\"}")
                                     << QStringLiteral("fields.x");
        QTest::newRow("columns for kv") << QByteArray("\"device\": \"/dev/ttyS0\", \"format\": "
                                                      "\"kv\", \"columns\": [\"a\"]")
                                        << QStringLiteral("columns");
    }
    void errorsNameTheKey() {
        QFETCH(QByteArray, keys);
        QFETCH(QString, path);
        dashboard::ConfigError error;
        QVERIFY(!dashboard::parseDashboard(withSource(keys), &error));
        QVERIFY2(error.path == QStringLiteral("sensors[0].") + path, qPrintable(error.text()));
    }
};

QTEST_GUILESS_MAIN(TestLinesConfig)
#include "tst_linesconfig.moc"
