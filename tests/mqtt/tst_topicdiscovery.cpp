// SPDX-License-Identifier: Apache-2.0
// Topic discovery against a real mosquitto: what the Add dialog offers to pick from.
#include "asynctest.h"
#include "mosquittobroker.h"

#include "demo/mqttpublisher.h"
#include "mqtt/topicdiscovery.h"

#include <QTest>

using namespace vigil;
using namespace std::chrono_literals;
using test::MosquittoBroker;

class TestTopicDiscovery : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        if (MosquittoBroker::binary().isEmpty())
            QSKIP("mosquitto is not installed");
    }

    void listsEveryTopicWithItsRateAndTheRetainedOnes() {
        MosquittoBroker broker;
        QVERIFY(broker.isRunning());
        QVERIFY(broker.publish(QStringLiteral("load/info"), "{\"v\":1}", true));
        demo::MqttDemoPublisher publisher(async::Clock::system(),
                                          *mqtt::parseBrokerUrl(broker.url(), nullptr),
                                          {3, 20, 0, 0}); // load/0..2 at 20 Hz, until stopped
        publisher.start();
        mqtt::MqttSpec spec;
        spec.broker = broker.url();
        spec.topic = QStringLiteral("load/#");
        spec.clientId = QStringLiteral("a-persistent-source"); // discovery must not take it
        const auto found =
            test::drive(mqtt::discoverTopics(async::Clock::system(), spec, 1500ms, {}));
        QVERIFY(test::drive(publisher.stop()).isOk());
        QVERIFY(found.isOk());
        const auto &d = found.value();
        QVERIFY(d.error.isEmpty());
        QCOMPARE(d.topics.size(), 4);
        QCOMPARE(d.topics[0].topic, QStringLiteral("load/0"));
        QVERIFY2(d.topics[0].perSecond > 12 && d.topics[0].perSecond < 28,
                 qPrintable(QString::number(d.topics[0].perSecond)));
        QCOMPARE(d.topics[3].topic, QStringLiteral("load/info"));
        QVERIFY(d.topics[3].retained);
        QCOMPARE(d.topics[3].lastPayload, QByteArray("{\"v\":1}"));
    }

    void anUnreachableBrokerSaysWhy() {
        MosquittoBroker broker;
        broker.kill(); // a port where nobody listens
        mqtt::MqttSpec spec;
        spec.broker = broker.url();
        spec.topic = QStringLiteral("#");
        const auto found =
            test::drive(mqtt::discoverTopics(async::Clock::system(), spec, 800ms, {}));
        QVERIFY(found.isOk());
        QVERIFY(found.value().topics.isEmpty());
        QVERIFY2(found.value().error.contains(QLatin1String("Connection refused")),
                 qPrintable(found.value().error));
    }
};

QTEST_GUILESS_MAIN(TestTopicDiscovery)
#include "tst_topicdiscovery.moc"
