// SPDX-License-Identifier: Apache-2.0
// MQTT sources against a real mosquitto that each test starts on a free loopback port.
#include "asynctest.h"
#include "mosquittobroker.h"

#include "async/clock.h"
#include "mqtt/mqttsource.h"
#include "sensors/sensorhub.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace vigil;
using namespace std::chrono_literals;
using test::MosquittoBroker;

namespace {
mqtt::MqttSpec specFor(const MosquittoBroker &broker, const QString &topic) {
    mqtt::MqttSpec spec;
    spec.broker = broker.url();
    spec.topic = topic;
    return spec;
}

/// A running source and the hub it feeds; stop() before it goes.
struct Subscriber {
    Subscriber(const mqtt::MqttSpec &spec, async::Clock &clock)
        : hub(clock)
        , source(mqtt::sourceId(spec), spec, hub, clock) {
        QObject::connect(&source, &mqtt::MqttSource::logMessage,
                         [this](const QString &line) { log << line; });
        source.start();
    }
    ~Subscriber() { stop(); }
    void stop() {
        if (stopped)
            return;
        stopped = true;
        bool done = false;
        auto task = [](Subscriber *s, bool *flag) -> QCoro::Task<> {
            auto stopping = s->source.stop();
            co_await stopping;
            *flag = true;
        }(this, &done);
        QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
    }
    bool connected() { return source.client().state() == mqtt::MqttClient::State::Connected; }

    sensors::SensorHub hub;
    mqtt::MqttSource source;
    QStringList log;
    bool stopped = false;
};

/// A publisher on Vigil's own client, for streams too big for a mosquitto_pub per message.
struct Publisher {
    Publisher(const MosquittoBroker &broker, async::Clock &clock)
        : client(clock, options(broker)) {
        client.start();
        QTRY_VERIFY_WITH_TIMEOUT(client.state() == mqtt::MqttClient::State::Connected, 10000);
    }
    ~Publisher() {
        bool done = false;
        auto task = [](mqtt::MqttClient *c, bool *flag) -> QCoro::Task<> {
            auto stopping = c->stop();
            co_await stopping;
            *flag = true;
        }(&client, &done);
        QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
    }
    static mqtt::MqttClient::Options options(const MosquittoBroker &broker) {
        mqtt::MqttClient::Options o;
        o.address = *mqtt::parseBrokerUrl(broker.url(), nullptr);
        return o;
    }
    mqtt::MqttClient client;
};
} // namespace

class TestMqttSource : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        if (MosquittoBroker::binary().isEmpty())
            QSKIP("mosquitto is not installed (apt-get install mosquitto mosquitto-clients)");
    }

    void aWildcardBecomesOneSeriesPerTopicAndField() {
        MosquittoBroker broker;
        QVERIFY(broker.isRunning());
        auto spec = specFor(broker, QStringLiteral("plant/+/state"));
        spec.fields = {{QStringLiteral("temp"), QStringLiteral("/t")},
                       {QStringLiteral("rh"), QStringLiteral("/h")}};
        spec.namePattern = QStringLiteral("{2}/{field}");
        spec.timestampPointer = QStringLiteral("/ts");
        Subscriber sub(spec, async::Clock::system());
        QTRY_VERIFY_WITH_TIMEOUT(sub.connected(), 10000);
        const qint64 ts = QDateTime::currentMSecsSinceEpoch() - 1500;
        QVERIFY(broker.publish(QStringLiteral("plant/a/state"),
                               QStringLiteral(R"({"t":21.5,"h":40,"ts":%1})").arg(ts).toUtf8()));
        QVERIFY(broker.publish(QStringLiteral("plant/b/state"), R"({"t":19,"h":"55"})"));
        QVERIFY(broker.publish(QStringLiteral("other/c/state"), R"({"t":1,"h":1})"));
        QTRY_COMPARE_WITH_TIMEOUT(sub.hub.ids().size(), 5, 10000); // 4 series and the delay
        const QString a =
            mqtt::seriesId(spec, QStringLiteral("plant/a/state"), QStringLiteral("temp"));
        QCOMPARE(sub.hub.sensor(a)->name(), QStringLiteral("a/temp"));
        QCOMPARE(sub.hub.history(a).lastValue(), 21.5);
        QCOMPARE(sub.hub.history(a).lastTime(), ts); // the payload's time, not the receive time
        const QString bRh =
            mqtt::seriesId(spec, QStringLiteral("plant/b/state"), QStringLiteral("rh"));
        QCOMPARE(sub.hub.history(bRh).lastValue(), 55.0);
        const QString delay = mqtt::seriesId(spec, spec.topic, QStringLiteral("delay_ms"));
        QVERIFY(sub.hub.contains(delay));
        QCOMPARE(sub.source.messages(), 2);
    }

    void retainedValuesShowAtOnceWithTheirAge() {
        MosquittoBroker broker;
        QVERIFY(broker.isRunning());
        const qint64 ts = QDateTime::currentMSecsSinceEpoch() - 60000;
        QVERIFY(broker.publish(QStringLiteral("tank/level"),
                               QStringLiteral(R"({"v":3.5,"ts":%1})").arg(ts).toUtf8(), true));
        auto spec = specFor(broker, QStringLiteral("tank/#"));
        spec.fields = {{QStringLiteral("v"), QStringLiteral("/v")}};
        spec.timestampPointer = QStringLiteral("/ts");
        Subscriber sub(spec, async::Clock::system());
        const QString id = mqtt::seriesId(spec, QStringLiteral("tank/level"), QStringLiteral("v"));
        QTRY_VERIFY_WITH_TIMEOUT(sub.hub.contains(id) && sub.hub.stats(id).ok == 1, 10000);
        QCOMPARE(sub.hub.stats(id).lastValue, 3.5);
        QVERIFY2(sub.hub.stats(id).lastMessage.startsWith(QLatin1String("retained, 60.")) ||
                     sub.hub.stats(id).lastMessage.startsWith(QLatin1String("retained, 61.")),
                 qPrintable(sub.hub.stats(id).lastMessage));
    }

    void badPayloadsAreCountedWithTheirReason() {
        MosquittoBroker broker;
        QVERIFY(broker.isRunning());
        Subscriber sub(specFor(broker, QStringLiteral("line/+")), async::Clock::system());
        QTRY_VERIFY_WITH_TIMEOUT(sub.connected(), 10000);
        QVERIFY(broker.publish(QStringLiteral("line/speed"), "12.5"));
        QVERIFY(broker.publish(QStringLiteral("line/speed"), "fast"));
        const QString id = mqtt::seriesId(sub.source.spec(), QStringLiteral("line/speed"), {});
        QTRY_COMPARE_WITH_TIMEOUT(sub.source.messages(), 2, 10000);
        QCOMPARE(sub.hub.stats(id).ok, 1);
        QCOMPARE(sub.hub.stats(id).errors, 1);
        QCOMPARE(sub.hub.stats(id).lastError, sensors::ReadingError::BadData);
        QVERIFY(sub.hub.stats(id).lastMessage.contains(QLatin1String("not a number: \"fast\"")));
        QCOMPARE(sub.source.badData(), 1);
    }

    void aKilledBrokerIsReconnectedAndResubscribedWithTheGapShown() {
        MosquittoBroker broker;
        QVERIFY(broker.isRunning());
        Subscriber sub(specFor(broker, QStringLiteral("pump/rpm")), async::Clock::system());
        QTRY_VERIFY_WITH_TIMEOUT(sub.connected(), 10000);
        QVERIFY(broker.publish(QStringLiteral("pump/rpm"), "1500"));
        const QString id = mqtt::seriesId(sub.source.spec(), QStringLiteral("pump/rpm"), {});
        QTRY_VERIFY_WITH_TIMEOUT(sub.hub.contains(id), 10000);

        broker.kill();
        QTRY_COMPARE_WITH_TIMEOUT(sub.source.client().state(),
                                  mqtt::MqttClient::State::Reconnecting, 10000);
        QVERIFY(sub.source.stateText().startsWith(QLatin1String("reconnecting #")));
        QCOMPARE(sub.hub.stats(id).lastError, sensors::ReadingError::Unavailable); // the gap
        QTRY_VERIFY_WITH_TIMEOUT(sub.source.client().attempt() >= 2, 10000); // refused meanwhile
        QVERIFY2(sub.source.stateText().contains(QLatin1String("refused")),
                 qPrintable(sub.source.stateText()));

        QVERIFY(broker.start());
        QTRY_VERIFY_WITH_TIMEOUT(sub.connected(), 20000); // backoff is at most a few seconds here
        QVERIFY(broker.publish(QStringLiteral("pump/rpm"), "1490"));
        QTRY_COMPARE_WITH_TIMEOUT(sub.hub.stats(id).ok, 2, 10000); // subscribed again
        QCOMPARE(sub.hub.history(id).lastValue(), 1490.0);
        QVERIFY(sub.log.join(u'\n').contains(QLatin1String("connection lost")));
    }

    void aPersistentSessionKeepsQos1MessagesWhileTheSubscriberIsAway() {
        MosquittoBroker broker;
        QVERIFY(broker.isRunning());
        auto spec = specFor(broker, QStringLiteral("meter/#"));
        spec.qos = 1;
        spec.clientId = QStringLiteral("vigil-test-persistent");
        {
            Subscriber first(spec, async::Clock::system());
            QTRY_VERIFY_WITH_TIMEOUT(first.connected(), 10000);
        } // gone: the broker keeps its session and queues for it
        {
            Publisher pub(broker, async::Clock::system());
            for (int i = 0; i < 200; ++i)
                QVERIFY(pub.client.publish(QStringLiteral("meter/kwh"), QByteArray::number(i), 1,
                                           false));
            test::spin(500ms);
        }
        Subscriber again(spec, async::Clock::system());
        const QString id = mqtt::seriesId(spec, QStringLiteral("meter/kwh"), {});
        QTRY_VERIFY_WITH_TIMEOUT(again.hub.contains(id) && again.hub.stats(id).ok == 200, 10000);
        QCOMPARE(again.hub.history(id).lastValue(), 199.0);
    }

    void theSeriesCapHoldsWithOneMessage() {
        MosquittoBroker broker;
        QVERIFY(broker.isRunning());
        auto spec = specFor(broker, QStringLiteral("fleet/#"));
        Subscriber sub(spec, async::Clock::system());
        QTRY_VERIFY_WITH_TIMEOUT(sub.connected(), 10000);
        Publisher pub(broker, async::Clock::system());
        for (int i = 0; i < 2000; ++i)
            QVERIFY(
                pub.client.publish(QStringLiteral("fleet/truck%1/speed").arg(i), "50", 0, false));
        QTRY_COMPARE_WITH_TIMEOUT(sub.source.messages(), 2000, 20000);
        QCOMPARE(sub.hub.ids().size(), mqtt::kDefaultMaxSeries);
        QCOMPARE(sub.source.overCap(), 1000);
        const auto capLines = sub.log.filter(QStringLiteral("the most this source takes"));
        QCOMPARE(capLines.size(), 1);
        QVERIFY(capLines[0].contains(QLatin1String("max_series")));
    }
};

QTEST_GUILESS_MAIN(TestMqttSource)
#include "tst_mqttsource.moc"
