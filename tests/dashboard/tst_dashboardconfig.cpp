// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/sleep.h"
#include "dashboard/dashboardconfig.h"
#include "dashboard/dashboardsecrets.h"
#include "dashboard/sensorcolors.h"
#include "dashboard/sensorfactory.h"
#include "io/readingsexport.h"
#include "io/recorder.h"
#include "net/httpclient.h"
#include "sensors/httpjsonsensor.h"
#include "sensors/sensorhub.h"
#include "sensors/simulatedsensor.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace std::chrono_literals;
using namespace vigil;
using vigil::test::drive;

class TestDashboardConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsRoundTrip() {
        auto d = dashboard::DashboardConfig::defaults();
        QCOMPARE(d.sensors.size(), 4);
        d.charts = {
            {d.sensors[0].id(), d.sensors[1].id()}, {d.sensors[2].id()}, {d.sensors[3].id()}};
        d.hidden = {d.sensors[3].id()};
        d.windowS = 600;
        d.retentionS = 7200;
        d.mode = QStringLiteral("sequential");
        dashboard::SensorConfig http;
        http.type = QStringLiteral("http_json");
        http.name = QStringLiteral("Outside");
        http.unit = QStringLiteral("°C");
        http.url = QUrl(QStringLiteral("https://example.org/weather"));
        http.pointer = QStringLiteral("/current/temp");
        http.headers = {{"Accept", "application/json"}};
        d.sensors << http;
        dashboard::ConfigError error;
        const auto back = dashboard::parseDashboard(dashboard::serializeDashboard(d), &error);
        QVERIFY2(back, qPrintable(error.text()));
        QCOMPARE(back->sensors.size(), 5);
        QCOMPARE(back->charts, d.charts);
        QCOMPARE(back->hidden, d.hidden);
        QCOMPARE(back->windowS, 600);
        QCOMPARE(back->retentionS, 7200);
        QCOMPARE(back->mode, QStringLiteral("sequential"));
        QCOMPARE(back->sensors[0].thresholds, d.sensors[0].thresholds);
        QCOMPARE(back->sensors[0].seed, d.sensors[0].seed);
        QCOMPARE(back->sensors[4].id(), http.id());
        QCOMPARE(back->sensors[4].headers, http.headers);
    }

    void unknownKeysAreWarnedWithTheirPathAndTheFileStillLoads() {
        QList<dashboard::ConfigError> warnings;
        dashboard::ConfigError error;
        const auto c = dashboard::parseDashboard(
            "{\"windw_s\": 10, \"sensors\": [{\"type\": \"simulated\", \"name\": \"a\"}, "
            "{\"type\": \"simulated\", \"name\": \"b\", \"intervall\": 100, "
            "\"thresholds\": {\"high_alarm\": 3, \"zzz\": 1}}]}",
            &error, &warnings);
        QVERIFY2(c, qPrintable(error.text()));
        QCOMPARE(c->sensors[1].intervalMs, 500); // the typo's value is not taken
        QStringList texts;
        for (const auto &w : warnings)
            texts << w.text();
        QCOMPARE(
            texts,
            (QStringList{QStringLiteral("windw_s: unknown key, ignored (did you mean window_s?)"),
                         QStringLiteral("sensors[1].intervall: unknown key, ignored (did you "
                                        "mean interval_ms?)"),
                         QStringLiteral("sensors[1].thresholds.zzz: unknown key, ignored")}));
        // What the writer writes is all known.
        warnings.clear();
        auto d = dashboard::DashboardConfig::defaults();
        d.sensors << httpSensor();
        QVERIFY(dashboard::parseDashboard(dashboard::serializeDashboard(d), &error, &warnings));
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.value(0).text()));
    }

    /// A sensor's colour is kept in the file, so that it survives hiding, removing and reopening.
    void sensorColorsAreSavedAndChecked() {
        auto d = dashboard::DashboardConfig::defaults();
        d.sensors[1].color = QStringLiteral("#a1b2c3");
        QList<dashboard::ConfigError> warnings;
        dashboard::ConfigError error;
        const auto back =
            dashboard::parseDashboard(dashboard::serializeDashboard(d), &error, &warnings);
        QVERIFY2(back, qPrintable(error.text()));
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.value(0).text()));
        QCOMPARE(back->sensors[1].color, QStringLiteral("#a1b2c3"));
        QCOMPARE(back->sensors[0].color, QString()); // none given: the dashboard picks one
        QVERIFY(!dashboard::parseDashboard(
            "{\"sensors\": [{\"type\": \"simulated\", \"name\": \"a\", \"color\": \"red\"}]}",
            &error));
        QCOMPARE(error.text(), QStringLiteral("sensors[0].color: must be written #rrggbb"));
        // New sensors take the palette's free colours first, whatever their order.
        const QStringList palette = dashboard::sensorPalette();
        QCOMPARE(dashboard::pickSensorColor({}, QStringLiteral("x")), palette[0]);
        QCOMPARE(dashboard::pickSensorColor({palette[0], palette[2]}, QStringLiteral("x")),
                 palette[1]);
        QVERIFY(palette.contains(dashboard::pickSensorColor(palette, QStringLiteral("x"))));
    }

    static dashboard::SensorConfig httpSensor() {
        dashboard::SensorConfig http;
        http.type = QStringLiteral("http_json");
        http.name = QStringLiteral("Flow");
        http.url =
            QUrl(QStringLiteral("https://bob:hunter2@api.example.org/v?city=Oslo&api_key=K1"));
        http.pointer = QStringLiteral("/v");
        http.headers = {{"Authorization", "Bearer SEKRET2"},
                        {"X-Api-Key", "SEKRET3"},
                        {"X-Custom", "SEKRET4"},
                        {"X-Auth-Token", "sk-${VIGIL_T_A}"},
                        {"Accept", "application/json"},
                        {"Proxy-Authorization", "Basic ${VIGIL_T_B}"}};
        http.headersEnv = {{"X-Session-Key", QStringLiteral("VIGIL_T_C")}};
        http.secretHeaders = {"x-custom"};
        return http;
    }

    void secretsNeverReachTheSavedJson() {
        auto d = dashboard::DashboardConfig::defaults();
        const auto http = httpSensor();
        d.sensors << http;
        d.charts << QStringList{http.id()};
        QStringList dropped;
        const QByteArray json = dashboard::serializeDashboard(d, &dropped);
        for (const char *secret : {"hunter2", "K1", "SEKRET", "sk-$"})
            QVERIFY2(!json.contains(secret), secret);
        QVERIFY(json.contains("Basic ${VIGIL_T_B}"));
        QVERIFY(json.contains("\"X-Session-Key\": \"VIGIL_T_C\""));
        QCOMPARE(dropped, (QStringList{QStringLiteral("the URL's password of sensor Flow"),
                                       QStringLiteral("the URL's api_key parameter of sensor Flow"),
                                       QStringLiteral("the Authorization header of sensor Flow"),
                                       QStringLiteral("the X-Api-Key header of sensor Flow"),
                                       QStringLiteral("the X-Custom header of sensor Flow"),
                                       QStringLiteral("the X-Auth-Token header of sensor Flow")}));
        dashboard::ConfigError error;
        const auto back = dashboard::parseDashboard(json, &error);
        QVERIFY2(back, qPrintable(error.text()));
        QCOMPARE(back->sensors[4].id(), http.id()); // the id never held the secrets
        QCOMPARE(back->sensors[4].url.toString(),
                 QStringLiteral("https://bob@api.example.org/v?city=Oslo"));
        QCOMPARE(back->sensors[4].headersEnv, http.headersEnv);
        QCOMPARE(back->sensors[4].secretHeaders, http.secretHeaders);
    }

    void filesSavedWithSecretsInIdsStillLoad() {
        // Before ids left secrets out, a chart named an HTTP sensor by its whole URL.
        dashboard::ConfigError error;
        const auto c = dashboard::parseDashboard(
            "{\"sensors\": [{\"type\": \"http_json\", \"name\": \"F\", \"pointer\": \"/v\", "
            "\"url\": \"https://h.example/v?api_key=K9&a=1\"}], "
            "\"charts\": [[\"http:https://h.example/v?api_key=K9&a=1#/v\"]]}",
            &error);
        QVERIFY2(c, qPrintable(error.text()));
        QCOMPARE(c->charts,
                 QList<QStringList>{{QStringLiteral("http:https://h.example/v?a=1#/v")}});
        QCOMPARE(c->sensors[0].id(), QStringLiteral("http:https://h.example/v?a=1#/v"));
    }

    void envReferencesResolveWhenTheSensorStarts() {
        qputenv("VIGIL_T_B", "dXNlcjpwdw==");
        qputenv("VIGIL_T_C", "from-env");
        qunsetenv("VIGIL_T_A");
        async::VirtualClock clock;
        net::HttpClient client(clock);
        QStringList problems;
        const auto sensor =
            dashboard::makeSensor(httpSensor(), clock, client, QStringLiteral("/"), &problems);
        QVERIFY(sensor);
        const auto &spec = static_cast<sensors::HttpJsonSensor &>(*sensor).spec();
        QCOMPARE(spec.headers, (net::RawHeaders{{"Authorization", "Bearer SEKRET2"},
                                                {"X-Api-Key", "SEKRET3"},
                                                {"X-Custom", "SEKRET4"},
                                                {"Accept", "application/json"},
                                                {"Proxy-Authorization", "Basic dXNlcjpwdw=="},
                                                {"X-Session-Key", "from-env"}}));
        QCOMPARE(problems,
                 QStringList{QStringLiteral("the X-Auth-Token header is not sent: "
                                            "environment variable VIGIL_T_A is not set")});
        QVERIFY(!sensor->id().contains(QLatin1String("hunter2")));
        // A variable's CR/LF cannot inject a header either.
        qputenv("VIGIL_T_C", "x\r\nX-Evil: 1");
        problems.clear();
        QVERIFY(!dashboard::resolvedHeaders(httpSensor(), &problems)
                     .contains({"X-Session-Key", "x\r\nX-Evil: 1"}));
        QVERIFY2(problems.last().contains(QLatin1String("line break")),
                 qPrintable(problems.last()));
    }

    static QByteArray manySensors(int n) {
        QByteArray json = "{\"sensors\": [";
        for (int i = 0; i < n; ++i)
            json += (i ? ", " : "") + QByteArray("{\"type\": \"simulated\", \"name\": \"s") +
                    QByteArray::number(i) + "\"}";
        return json + "]}";
    }

    void invalidFilesNameTheField_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not JSON") << QByteArray("{\"sensors\": [")
                                  << QStringLiteral("not valid JSON");
        QTest::newRow("not an object")
            << QByteArray("[1, 2]") << QStringLiteral("must hold a JSON object");
        QTest::newRow("no sensors")
            << QByteArray("{}") << QStringLiteral("sensors: must be an array");
        QTest::newRow("sensor not an object")
            << QByteArray("{\"sensors\": [3]}") << QStringLiteral("sensors[0]: must be an object");
        QTest::newRow("unknown type")
            << QByteArray("{\"sensors\": [{\"type\": \"laser\", \"name\": \"x\"}]}")
            << QStringLiteral("sensors[0].type: must be one of");
        QTest::newRow("missing name") << QByteArray("{\"sensors\": [{\"type\": \"simulated\"}]}")
                                      << QStringLiteral("sensors[0].name: is required");
        QTest::newRow("interval as text")
            << QByteArray("{\"sensors\": [{\"type\": \"simulated\", \"name\": \"a\", "
                          "\"interval_ms\": \"fast\"}]}")
            << QStringLiteral("sensors[0].interval_ms: must be a number from 50");
        QTest::newRow("interval too small")
            << QByteArray("{\"sensors\": [{\"type\": \"simulated\", \"name\": \"a\", "
                          "\"interval_ms\": 5}]}")
            << QStringLiteral("sensors[0].interval_ms");
        QTest::newRow("fractional latency")
            << QByteArray("{\"sensors\": [{\"type\": \"simulated\", \"name\": \"a\", "
                          "\"latency_ms\": 2.5}]}")
            << QStringLiteral("sensors[0].latency_ms: must be a whole number");
        QTest::newRow("thresholds out of order")
            << QByteArray("{\"sensors\": [{\"type\": \"simulated\", \"name\": \"a\", "
                          "\"thresholds\": {\"low_alarm\": 10, \"high_alarm\": 5}}]}")
            << QStringLiteral(
                   "sensors[0].thresholds: highAlarm (5) must not be below lowAlarm (10)");
        QTest::newRow("bad http url")
            << QByteArray("{\"sensors\": [{\"type\": \"http_json\", \"name\": \"a\", \"url\": "
                          "\"file:///etc/passwd\", \"pointer\": \"/v\"}]}")
            << QStringLiteral("sensors[0].url: must be an http");
        QTest::newRow("bad pointer")
            << QByteArray("{\"sensors\": [{\"type\": \"http_json\", \"name\": \"a\", \"url\": "
                          "\"http://h/x\", \"pointer\": \"v\"}]}")
            << QStringLiteral("sensors[0].pointer");
        QTest::newRow("a 1 MB sensor name")
            << QByteArray("{\"sensors\": [{\"type\": \"simulated\", \"name\": \"") +
                   QByteArray(1000000, 'n') + QByteArray("\"}]}")
            << QStringLiteral("sensors[0].name: must be at most 200 characters");
        QTest::newRow("a 2 MB file") << QByteArray("{\"sensors\": [], \"pad\": \"") +
                                            QByteArray(2000000, ' ') + QByteArray("\"}")
                                     << QStringLiteral("the file is larger than 1024 KiB");
        QTest::newRow("a 300-character name")
            << QByteArray("{\"sensors\": [{\"type\": \"simulated\", \"name\": \"") +
                   QByteArray(300, 'n') + QByteArray("\"}]}")
            << QStringLiteral("sensors[0].name: must be at most 200 characters");
        QTest::newRow("200 sensors")
            << manySensors(200) << QStringLiteral("sensors: at most 64 sensors, not 200");
        QTest::newRow("one chart naming a sensor twice")
            << QByteArray("{\"sensors\": [{\"type\": \"simulated\", \"name\": \"a\"}], "
                          "\"charts\": [[\"sim:a\", \"sim:a\"]]}")
            << QStringLiteral("charts[0][1]: \"sim:a\" is listed more than once");
        QTest::newRow("two charts naming one sensor")
            << QByteArray("{\"sensors\": [{\"type\": \"simulated\", \"name\": \"a\"}], "
                          "\"charts\": [[\"sim:a\"], [\"sim:a\"]]}")
            << QStringLiteral("charts[1][0]: \"sim:a\" is listed more than once");
        QTest::newRow("line break in a header (header injection)")
            << QByteArray("{\"sensors\": [{\"type\": \"http_json\", \"name\": \"a\", \"url\": "
                          "\"http://h/x\", \"pointer\": \"/v\", \"headers\": {\"X-Key\": "
                          "\"k\\r\\nX-Injected: 1\"}}]}")
            << QStringLiteral("sensors[0].headers.X-Key: the value of X-Key holds a line break");
        QTest::newRow("system id without prefix")
            << QByteArray("{\"sensors\": [{\"type\": \"system\", \"id\": \"cpu\"}]}")
            << QStringLiteral("sensors[0].id");
        QTest::newRow("duplicate sensor")
            << QByteArray("{\"sensors\": [{\"type\": \"simulated\", \"name\": \"a\"}, {\"type\": "
                          "\"simulated\", \"name\": \"a\"}]}")
            << QStringLiteral("sensors[1]: duplicates sensor \"sim:a\"");
        QTest::newRow("chart with unknown sensor")
            << QByteArray("{\"sensors\": [{\"type\": \"simulated\", \"name\": \"a\"}], \"charts\": "
                          "[[\"sim:b\"]]}")
            << QStringLiteral("charts[0][0]: \"sim:b\" is not one of the sensors");
        QTest::newRow("empty chart")
            << QByteArray(
                   "{\"sensors\": [{\"type\": \"simulated\", \"name\": \"a\"}], \"charts\": [[]]}")
            << QStringLiteral("charts[0]: a chart needs at least one sensor");
        QTest::newRow("odd window") << QByteArray("{\"sensors\": [], \"window_s\": 42}")
                                    << QStringLiteral("window_s: must be 10, 60, 600 or 3600");
        QTest::newRow("retention too short")
            << QByteArray("{\"sensors\": [], \"retention_s\": 5}")
            << QStringLiteral("retention_s: must be a number from 60 to 86400");
        QTest::newRow("unknown mode") << QByteArray("{\"sensors\": [], \"mode\": \"parallel\"}")
                                      << QStringLiteral("mode: must be");
        QTest::newRow("negative deadband")
            << QByteArray("{\"sensors\": [{\"type\": \"simulated\", \"name\": \"a\", "
                          "\"thresholds\": {\"high_alarm\": 5, \"deadband\": -1}}]}")
            << QStringLiteral("sensors[0].thresholds.deadband: must be a number from 0");
        QTest::newRow("fractional alarm delay")
            << QByteArray("{\"sensors\": [{\"type\": \"simulated\", \"name\": \"a\", "
                          "\"thresholds\": {\"high_alarm\": 5, \"delay_s\": 1.5}}]}")
            << QStringLiteral("sensors[0].thresholds.delay_s: must be a whole number");
        QTest::newRow("alarm delay beyond a day")
            << QByteArray("{\"sensors\": [{\"type\": \"simulated\", \"name\": \"a\", "
                          "\"thresholds\": {\"high_alarm\": 5, \"delay_s\": 90000}}]}")
            << QStringLiteral("sensors[0].thresholds.delay_s: must be a number from 0 to 86400");
        QTest::newRow("future version")
            << QByteArray("{\"version\": 2, \"sensors\": []}") << QStringLiteral("version");
    }

    void invalidFilesNameTheField() {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        dashboard::ConfigError error;
        QVERIFY(!dashboard::parseDashboard(json, &error));
        QVERIFY2(error.text().startsWith(expected) || error.text().contains(expected),
                 qPrintable(error.text()));
    }

    void deadbandAndDelayRoundTripWithoutWarnings() {
        auto d = dashboard::DashboardConfig::defaults();
        d.sensors[0].thresholds.deadband = 0.5;
        d.sensors[0].thresholds.delayS = 10;
        const QByteArray json = dashboard::serializeDashboard(d);
        QVERIFY2(json.contains("\"deadband\": 0.5") && json.contains("\"delay_s\": 10"),
                 json.constData());
        dashboard::ConfigError error;
        QList<dashboard::ConfigError> warnings;
        const auto back = dashboard::parseDashboard(json, &error, &warnings);
        QVERIFY2(back, qPrintable(error.text()));
        QVERIFY(warnings.isEmpty());
        QCOMPARE(back->sensors[0].thresholds.deadband, 0.5);
        QCOMPARE(back->sensors[0].thresholds.delayS, 10);
        QCOMPARE(back->sensors[0].thresholds, d.sensors[0].thresholds);
        // Unset, they stay out of the file: older Vigil versions read it as before.
        QVERIFY(!dashboard::serializeDashboard(dashboard::DashboardConfig::defaults())
                     .contains("deadband"));
    }

    void chartsDefaultToOnePerSensor() {
        const auto c =
            dashboard::parseDashboard("{\"sensors\": [{\"type\": \"simulated\", \"name\": \"a\"}, "
                                      "{\"type\": \"instrument\", \"name\": \"b\"}]}",
                                      nullptr);
        QVERIFY(c);
        QCOMPARE(c->charts,
                 (QList<QStringList>{{QStringLiteral("sim:a")}, {QStringLiteral("instrument:b")}}));
    }

    void factoryBuildsEverySensorTypeAndSkipsAbsentSystemOnes() {
        async::VirtualClock clock;
        net::HttpClient client(clock);
        dashboard::SensorConfig c;
        c.type = QStringLiteral("system");
        c.systemId = QStringLiteral("system:thermal:thermal_zone0");
        QVERIFY(dashboard::makeSensor(c, clock, client, QFINDTESTDATA("fixtures/sysroot")));
        c.systemId = QStringLiteral("system:thermal:thermal_zone9");
        QVERIFY(!dashboard::makeSensor(c, clock, client, QFINDTESTDATA("fixtures/sysroot")));
        for (const auto &sc : dashboard::DashboardConfig::defaults().sensors) {
            auto s = dashboard::makeSensor(sc, clock, client);
            QVERIFY(s);
            QCOMPARE(s->id(), sc.id());
            const auto back = dashboard::describeSensor(*s);
            QCOMPARE(back.id(), sc.id());
            QCOMPARE(back.latencyMs, sc.latencyMs);
        }
    }

    void recorderFlushesAtLeastOnceASecond() {
        async::VirtualClock clock;
        sensors::SensorHub hub(clock);
        hub.add(
            std::make_shared<sensors::SimulatedSensor>(sensors::processSensorSpecs()[0], clock));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("rec.csv"));
        io::Recorder recorder(hub, clock);
        QString error;
        QVERIFY(recorder.start(path, &error));
        hub.start();
        const auto lines = [&path] {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll().count('\n') : -1;
        };
        // 3 s of virtual time: 6 readings. Within a second of each, it must be on disk.
        clock.advance(3000ms);
        clock.advance(std::chrono::milliseconds(recorder.flushInterval()));
        QVERIFY2(lines() >= 1 + 6, qPrintable(QString::number(lines())));
        QVERIFY(drive(
                    [](io::Recorder &r, sensors::SensorHub &h) -> QCoro::Task<> {
                        co_await r.stop();
                        co_await h.stop();
                    }(recorder, hub),
                    &clock)
                    .isOk());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = f.readAll().trimmed().split('\n');
        QCOMPARE(rows.first(), QByteArray("time,sensor_id,sensor,unit,value,error"));
        QCOMPARE(qint64(rows.size() - 1), recorder.recordedCount());
        // Stamped when the value arrived: the 0.5 s slot's 300 ms read.
        QVERIFY(rows[1].startsWith("2026-01-01T00:00:00.800Z,sim:Reactor_Temp,Reactor_Temp,°C,"));
        QVERIFY(!recorder.start(dir.filePath(QStringLiteral("no/such/dir/x.csv")), &error));
        QVERIFY(error.contains(QStringLiteral("Cannot record")));
    }

    void readingsCsvHasIsoTimesAndUnits() {
        async::VirtualClock clock;
        sensors::SensorHub hub(clock);
        const auto specs = sensors::processSensorSpecs();
        hub.add(std::make_shared<sensors::SimulatedSensor>(specs[0], clock));
        hub.add(std::make_shared<sensors::SimulatedSensor>(specs[1], clock));
        hub.start();
        clock.advance(2400ms); // the 2.0 s slot completes at 2.2 and 2.3 s
        QVERIFY(drive(hub.stop(), &clock).isOk());
        const QByteArray csv =
            io::readingsToCsv(hub, hub.ids(), 0, std::numeric_limits<qint64>::max());
        const QList<QByteArray> rows = csv.trimmed().split('\n');
        QCOMPARE(rows.first(), QByteArray("time,\"Reactor_Temp [°C]\",\"Reactor_Press [bar]\""));
        // Readings are stamped when they arrive: the 0.5/1.0/1.5/2.0 s slots' reads land 200 ms
        // (Reactor_Press) and 300 ms (Reactor_Temp) later, each on a row of its own.
        QCOMPARE(rows.size(), 1 + 8);
        QVERIFY(rows[1].startsWith("2026-01-01T00:00:00.700Z,,"));
        QVERIFY(rows[2].startsWith("2026-01-01T00:00:00.800Z,"));
        QCOMPARE(rows[1].count(','), 2);
    }
};

QTEST_GUILESS_MAIN(TestDashboardConfig)
#include "tst_dashboardconfig.moc"
