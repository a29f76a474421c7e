// SPDX-License-Identifier: Apache-2.0
// Staleness and rates of an MQTT source, on a virtual clock: messages are fed as the broker would.
#include "asynctest.h"

#include "async/clock.h"
#include "mqtt/mqttsource.h"
#include "sensors/sensorhub.h"

#include <QTest>

using namespace vigil;
using namespace std::chrono_literals;

class TestMqttStaleness : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aSilentSeriesTurnsStaleAfterThreeIntervalsAndFreshOnItsNextMessage() {
        async::VirtualClock clock;
        sensors::SensorHub hub(clock);
        mqtt::MqttSpec spec;
        spec.broker = QStringLiteral("mqtt://127.0.0.1:1");
        spec.topic = QStringLiteral("boiler/+");
        spec.expectedIntervalMs = 1000;
        mqtt::MqttSource source(mqtt::sourceId(spec), spec, hub, clock);
        QStringList log;
        connect(&source, &mqtt::MqttSource::logMessage, this,
                [&log](const QString &l) { log << l; });
        QList<bool> changes;
        connect(&hub, &sensors::SensorHub::staleChanged, this,
                [&changes](const QString &, bool stale) { changes << stale; });
        source.watch();
        source.ingest(QStringLiteral("boiler/temp"), "80", false);
        source.ingest(QStringLiteral("boiler/pressure"), "2.1", false);
        const QString temp = mqtt::seriesId(spec, QStringLiteral("boiler/temp"), {});
        const QString pressure = mqtt::seriesId(spec, QStringLiteral("boiler/pressure"), {});
        for (int i = 0; i < 5; ++i) { // the pressure keeps coming, the temperature stops
            clock.advance(500ms);
            source.ingest(QStringLiteral("boiler/pressure"), "2.1", false);
        }
        QVERIFY(!hub.stats(temp).stale); // 2.5 s: not yet 3 intervals
        for (int i = 0; i < 2; ++i) {
            clock.advance(500ms);
            source.ingest(QStringLiteral("boiler/pressure"), "2.1", false);
        }
        QVERIFY(hub.stats(temp).stale); // 3.5 s without a message
        QVERIFY(!hub.stats(pressure).stale);
        QCOMPARE(hub.ids().size(), 2); // still shown
        QCOMPARE(log.filter(QStringLiteral("is stale")).size(), 1);
        QVERIFY(log.filter(QStringLiteral("is stale"))[0].startsWith(QLatin1String("boiler/temp")));
        clock.advance(3600ms);
        QCOMPARE(log.filter(QStringLiteral("is stale")).size(), 2); // the pressure now, once
        source.ingest(QStringLiteral("boiler/temp"), "81", false);
        QVERIFY(!hub.stats(temp).stale);
        QCOMPARE(changes, (QList<bool>{true, true, false}));
        QVERIFY(source.messageRate() > 0);
        auto stopping = source.stop();
        QVERIFY(test::drive(std::move(stopping), &clock).isOk());
    }

    void overlappingFiltersNeverShareASeries() {
        async::VirtualClock clock;
        sensors::SensorHub hub(clock);
        mqtt::MqttSpec wide;
        wide.broker = QStringLiteral("mqtt://127.0.0.1:1");
        wide.topic = QStringLiteral("a/#");
        mqtt::MqttSpec narrow = wide;
        narrow.topic = QStringLiteral("a/+");
        mqtt::MqttSource first(mqtt::sourceId(wide), wide, hub, clock);
        mqtt::MqttSource second(mqtt::sourceId(narrow), narrow, hub, clock);
        first.ingest(QStringLiteral("a/b"), "1", false);
        second.ingest(QStringLiteral("a/b"), "2", false);
        QCOMPARE(hub.ids().size(), 2);
        QCOMPARE(hub.history(first.seriesIds().at(0)).lastValue(), 1.0);
        QCOMPARE(hub.history(second.seriesIds().at(0)).lastValue(), 2.0);
        auto stopping = first.stop();
        QVERIFY(test::drive(std::move(stopping), &clock).isOk());
        auto stopping2 = second.stop();
        QVERIFY(test::drive(std::move(stopping2), &clock).isOk());
    }

    void withoutAnExpectedIntervalNothingTurnsStale() {
        async::VirtualClock clock;
        sensors::SensorHub hub(clock);
        mqtt::MqttSpec spec;
        spec.broker = QStringLiteral("mqtt://127.0.0.1:1");
        spec.topic = QStringLiteral("x");
        mqtt::MqttSource source(mqtt::sourceId(spec), spec, hub, clock);
        source.watch();
        source.ingest(QStringLiteral("x"), "1", false);
        clock.advance(1h);
        QVERIFY(!hub.stats(mqtt::seriesId(spec, QStringLiteral("x"), {})).stale);
        auto stopping = source.stop();
        QVERIFY(test::drive(std::move(stopping), &clock).isOk());
    }
};

QTEST_GUILESS_MAIN(TestMqttStaleness)
#include "tst_mqttstaleness.moc"
