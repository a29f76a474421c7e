// SPDX-License-Identifier: Apache-2.0
// MQTT series in the status table: the source's state while it is down, stale, messages/s.
#include "asynctest.h"

#include "async/clock.h"
#include "chartpanel.h"
#include "mqtt/mqttsource.h"
#include "sensors/sensorhub.h"
#include "sensors/streamseries.h"
#include "sensorstatusmodel.h"

#include <QLegend>
#include <QLegendMarker>
#include <QSignalSpy>
#include <QTest>

using namespace vigil;
using namespace std::chrono_literals;
using widgets::SensorStatusModel;

class TestStreamStatus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aStreamRowShowsItsSourceStateStalenessAndRate() {
        async::VirtualClock clock;
        sensors::SensorHub hub(clock);
        SensorStatusModel model(hub);
        mqtt::MqttSpec spec;
        spec.broker = QStringLiteral("mqtt://127.0.0.1:1");
        spec.topic = QStringLiteral("line/+");
        spec.expectedIntervalMs = 1000;
        mqtt::MqttSource source(mqtt::sourceId(spec), spec, hub, clock);
        source.watch();
        for (int i = 0; i < 20; ++i) { // 10 messages a second for 2 s
            source.ingest(QStringLiteral("line/speed"), "3.5", false);
            clock.advance(100ms);
        }
        QCOMPARE(model.rowCount(), 1);
        const auto cell = [&model](int column) {
            return model.data(model.index(0, column), Qt::DisplayRole).toString();
        };
        // Never connected (fed by hand here): the row says what the connection is doing.
        QCOMPARE(cell(SensorStatusModel::State), source.client().stateText());
        QCOMPARE(cell(SensorStatusModel::Skipped), QString()); // nobody polls a stream
        const double rate = cell(SensorStatusModel::MessagesPerS).toDouble();
        QVERIFY2(rate > 9 && rate < 11, qPrintable(cell(SensorStatusModel::MessagesPerS)));
        QCOMPARE(model.headerData(SensorStatusModel::MessagesPerS, Qt::Horizontal, Qt::DisplayRole)
                     .toString(),
                 QStringLiteral("Msg/s"));
        auto stopping = source.stop();
        QVERIFY(test::drive(std::move(stopping), &clock).isOk());
    }

    void aRetainedValueSaysHowOldItIs() {
        async::VirtualClock clock;
        sensors::SensorHub hub(clock);
        SensorStatusModel model(hub);
        hub.addStream(std::make_shared<sensors::StreamSeries>(
            QStringLiteral("s"), QStringLiteral("tank"), QStringLiteral("m"), QStringLiteral("src"),
            std::make_shared<sensors::StreamStatus>()));
        sensors::Reading r;
        r.value = 3.5;
        r.message = QStringLiteral("retained, 60.0 s old");
        hub.ingest(QStringLiteral("s"), r);
        const auto value = [&model] {
            return model.data(model.index(0, SensorStatusModel::Value), Qt::DisplayRole).toString();
        };
        QCOMPARE(value(), QStringLiteral("3.50 m · retained, 60.0 s old"));
        r.message.clear(); // the next, live one
        hub.ingest(QStringLiteral("s"), r);
        QCOMPARE(value(), QStringLiteral("3.50 m"));
    }

    void aStaleSeriesSaysSoInItsTile() {
        widgets::ChartPanel panel;
        widgets::SeriesInfo info;
        info.id = QStringLiteral("s");
        info.name = QStringLiteral("pump");
        info.unit = QStringLiteral("rpm");
        info.color = Qt::blue;
        info.stale = true;
        panel.setSeries({info});
        const auto label = [&panel] {
            for (auto *marker : panel.chart()->legend()->markers())
                if (marker->label().startsWith(QLatin1String("pump (rpm)")))
                    return marker->label(); // the series' own entry (bands have none)
            return QString();
        };
        QCOMPARE(label(), QStringLiteral("pump (rpm) · stale"));
        panel.setStale(0, false);
        QCOMPARE(label(), QStringLiteral("pump (rpm)"));
    }

    void aSilentConnectedSeriesReadsStaleAndADownSourceSaysWhy() {
        async::VirtualClock clock;
        sensors::SensorHub hub(clock);
        SensorStatusModel model(hub);
        auto status = std::make_shared<sensors::StreamStatus>();
        status->connected = true;
        status->state = QStringLiteral("connected");
        hub.addStream(std::make_shared<sensors::StreamSeries>(
            QStringLiteral("s"), QStringLiteral("pump"), QStringLiteral("rpm"),
            QStringLiteral("src"), status));
        sensors::Reading r;
        r.value = 1500;
        hub.ingest(QStringLiteral("s"), r);
        const auto state = [&model] {
            return model.data(model.index(0, SensorStatusModel::State), Qt::DisplayRole).toString();
        };
        QCOMPARE(state(), QStringLiteral("ok"));
        hub.setStale(QStringLiteral("s"), true);
        QCOMPARE(state(), QStringLiteral("stale"));
        status->connected = false;
        status->state = QStringLiteral("reconnecting #2 (Connection refused)");
        QCOMPARE(state(), status->state); // the outage says more than the silence
        hub.ingest(QStringLiteral("s"), r);
        status->connected = true;
        QCOMPARE(state(), QStringLiteral("ok")); // fresh again with the next message
        // A closed source's series go as removed rows, not a reset per series.
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QVERIFY(test::drive(hub.remove(QStringLiteral("s"))).isOk());
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(resets.count(), 0);
    }
};

QTEST_MAIN(TestStreamStatus)
#include "tst_streamstatus.moc"
