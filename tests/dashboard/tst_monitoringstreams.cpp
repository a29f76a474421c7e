// SPDX-License-Identifier: Apache-2.0
// MQTT sources in a monitoring session: how their series are charted, saved and removed.
#include "asynctest.h"

#include "dashboard/monitoringsession.h"
#include "mqtt/mqttsource.h"
#include "sensors/sensorhub.h"

#include <QSignalSpy>
#include <QTest>

using namespace vigil;

namespace {
dashboard::SensorConfig pumps() {
    dashboard::SensorConfig s;
    s.type = QStringLiteral("mqtt");
    s.mqtt.broker = QStringLiteral("mqtt://127.0.0.1:1"); // nobody there: messages are fed
    s.mqtt.topic = QStringLiteral("pumps/+");
    s.mqtt.fields = {{QStringLiteral("rpm"), QStringLiteral("/rpm")},
                     {QStringLiteral("amps"), QStringLiteral("/amps")}};
    s.mqtt.timestampPointer = QStringLiteral("/ts");
    return s;
}
} // namespace

class TestMonitoringStreams : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void seriesOfOneFieldShareAChartAndTheDelayIsNotCharted() {
        dashboard::MonitoringSession session(async::Clock::system());
        dashboard::DashboardConfig config;
        config.sensors << pumps();
        QVERIFY(test::drive(session.apply(config)).isOk());
        QCOMPARE(session.streams().size(), 1);
        mqtt::MqttSource &source = *session.streams().at(0);
        QSignalSpy rebuilds(&session, &dashboard::MonitoringSession::layoutChanged);
        for (int i = 1; i <= 3; ++i)
            source.ingest(QStringLiteral("pumps/p%1").arg(i),
                          R"({"rpm": 1450, "amps": 12, "ts": 1764590400000})", false);
        QCOMPARE(rebuilds.count(), 0);
        QTRY_COMPARE(rebuilds.count(), 1); // six new charted series, one rebuild
        QCoreApplication::processEvents();
        QCOMPARE(rebuilds.count(), 1);
        QCOMPARE(session.hub().ids().size(), 7); // 3 pumps x 2 fields, and the delay
        const auto charts = session.layout().charts;
        QCOMPARE(charts.size(), 2);
        for (const auto &chart : charts) {
            QCOMPARE(chart.size(), 3);
            const QString field = chart.first().section(u'#', -1);
            for (const auto &id : chart)
                QCOMPARE(id.section(u'#', -1), field);
        }
        // Saved, the file names the source, not its series.
        const auto saved = session.current();
        QCOMPARE(saved.sensors.size(), 1);
        QCOMPARE(saved.sensors[0].type, QStringLiteral("mqtt"));
        QVERIFY(saved.charts.isEmpty());
        // Removing the source removes its series and their charts.
        QVERIFY(test::drive(session.removeSensor(saved.sensors[0].id())).isOk());
        QVERIFY(session.hub().ids().isEmpty());
        QVERIFY(session.layout().charts.isEmpty());
        QVERIFY(session.streams().isEmpty());
        QVERIFY(test::drive(session.shutdown()).isOk());
    }

    void aDashboardWithAlarmsOutStartsItsPublisherAndSavesIt() {
        dashboard::MonitoringSession session(async::Clock::system());
        QStringList log;
        connect(&session, &dashboard::MonitoringSession::logMessage, this,
                [&log](const QString &line) { log << line; });
        dashboard::DashboardConfig config;
        config.alarmsBroker = QStringLiteral("mqtt://127.0.0.1:1");
        config.alarmsTopic = QStringLiteral("site/alarms");
        QVERIFY(test::drive(session.apply(config)).isOk());
        QCOMPARE(log.filter(QStringLiteral("Alarms are published to site/alarms/… on "
                                           "127.0.0.1:1"))
                     .size(),
                 1);
        QCOMPARE(session.current().alarmsBroker, config.alarmsBroker);
        QVERIFY(test::drive(session.apply(dashboard::DashboardConfig{})).isOk()); // and stops
        QVERIFY(test::drive(session.shutdown()).isOk());
    }

    void aSourceChartsAtMostEightSeries() {
        dashboard::MonitoringSession session(async::Clock::system());
        dashboard::DashboardConfig config;
        auto s = pumps();
        s.mqtt.fields.clear();
        s.mqtt.timestampPointer.clear();
        config.sensors << s;
        QVERIFY(test::drive(session.apply(config)).isOk());
        for (int i = 0; i < 20; ++i)
            session.streams().at(0)->ingest(QStringLiteral("pumps/p%1").arg(i), "1", false);
        QCOMPARE(session.hub().ids().size(), 20);
        QCOMPARE(session.layout().charts.size(), 1);
        QCOMPARE(session.layout().charts[0].size(),
                 dashboard::MonitoringSession::kChartedPerSource);
        QVERIFY(test::drive(session.shutdown()).isOk());
    }
};

QTEST_GUILESS_MAIN(TestMonitoringStreams)
#include "tst_monitoringstreams.moc"
