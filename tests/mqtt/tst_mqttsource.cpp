// SPDX-License-Identifier: Apache-2.0
// MQTT sources against a real mosquitto that each test starts on a free loopback port.
#include "asynctest.h"
#include "mosquittobroker.h"

#include "async/clock.h"
#include "demo/mqttpublisher.h"
#include "mqtt/mqttsource.h"
#include "sensors/sensorhub.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
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
        QVERIFY(test::drive(source.stop()).isOk());
    }
    bool connected() { return source.client().state() == mqtt::MqttClient::State::Connected; }

    sensors::SensorHub hub;
    mqtt::MqttSource source;
    QStringList log;
    bool stopped = false;
};

/// Runs openssl in @p dir; true when it exited 0.
bool openssl(const QString &dir, const QStringList &args) {
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(QStringLiteral("openssl"), args);
    return p.waitForFinished(30000) && p.exitCode() == 0;
}

/// A CA (@p name.crt/.key) in @p dir, and, if @p san is set, a server certificate it signs for
/// that subjectAltName (server-@p name.crt/.key).
bool makeCertificates(const QString &dir, const QString &name, const QString &san) {
    const QStringList ec{QStringLiteral("-newkey"), QStringLiteral("ec"),
                         QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"),
                         QStringLiteral("-nodes")};
    if (!openssl(dir, QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ec +
                          QStringList{QStringLiteral("-keyout"), name + QStringLiteral(".key"),
                                      QStringLiteral("-out"), name + QStringLiteral(".crt"),
                                      QStringLiteral("-days"), QStringLiteral("2"),
                                      QStringLiteral("-subj"), QStringLiteral("/CN=") + name}))
        return false;
    QFile ext(dir + QStringLiteral("/ext-") + name);
    if (!ext.open(QIODevice::WriteOnly))
        return false;
    ext.write("subjectAltName=" + san.toUtf8() + '\n');
    ext.close();
    const QString server = QStringLiteral("server-") + name;
    return openssl(dir, QStringList{QStringLiteral("req")} + ec +
                            QStringList{QStringLiteral("-keyout"), server + QStringLiteral(".key"),
                                        QStringLiteral("-out"), server + QStringLiteral(".csr"),
                                        QStringLiteral("-subj"), QStringLiteral("/CN=broker")}) &&
           openssl(dir, {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                         server + QStringLiteral(".csr"), QStringLiteral("-CA"),
                         name + QStringLiteral(".crt"), QStringLiteral("-CAkey"),
                         name + QStringLiteral(".key"), QStringLiteral("-CAcreateserial"),
                         QStringLiteral("-out"), server + QStringLiteral(".crt"),
                         QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"),
                         ext.fileName()});
}

/// mosquitto started as root runs as user mosquitto: it must be able to read the test's files.
void shareWithTheBroker(const QTemporaryDir &dir) {
    const auto readable = QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                          QFileDevice::ReadOther | QFileDevice::ReadGroup;
    QFile::setPermissions(dir.path(), readable | QFileDevice::ExeOwner | QFileDevice::ExeOther |
                                          QFileDevice::ExeGroup);
    for (const auto &name : QDir(dir.path()).entryList(QDir::Files))
        QFile::setPermissions(dir.filePath(name), readable);
}

/// Every message logged while it lives, to check that none holds a secret.
struct CapturedLog {
    CapturedLog() {
        lines().clear();
        previous = qInstallMessageHandler(
            [](QtMsgType, const QMessageLogContext &, const QString &m) { lines() << m; });
        QLoggingCategory::setFilterRules(QStringLiteral("vigil.*=true"));
    }
    ~CapturedLog() {
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules({});
    }
    static QStringList &lines() {
        static QStringList all;
        return all;
    }
    QtMessageHandler previous;
};

/// A publisher on Vigil's own client, for streams too big for a mosquitto_pub per message.
struct Publisher {
    Publisher(const MosquittoBroker &broker, async::Clock &clock)
        : client(clock, options(broker)) {
        client.start();
        QTRY_VERIFY_WITH_TIMEOUT(client.state() == mqtt::MqttClient::State::Connected, 10000);
    }
    ~Publisher() { QVERIFY(test::drive(client.stop()).isOk()); }
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
        const QString delay = sub.source.delaySeriesId();
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

    void tlsVerifiesTheCaAndTheHostName() {
        QTemporaryDir dir;
        QVERIFY(makeCertificates(dir.path(), QStringLiteral("ca"),
                                 QStringLiteral("DNS:localhost,IP:127.0.0.1")));
        QVERIFY(makeCertificates(dir.path(), QStringLiteral("other"),
                                 QStringLiteral("DNS:elsewhere.test")));
        shareWithTheBroker(dir);
        const auto file = [&dir](const char *name) { return dir.filePath(QLatin1String(name)); };
        MosquittoBroker broker({{}, file("server-ca.crt"), file("server-ca.key")});
        QVERIFY(broker.isRunning());
        auto spec = specFor(broker, QStringLiteral("secure/#"));
        spec.broker = broker.url(QStringLiteral("mqtts"));
        spec.caFile = file("ca.crt");
        {
            Subscriber right(spec, async::Clock::system());
            QTRY_VERIFY_WITH_TIMEOUT(right.connected(), 10000);
        }
        spec.caFile = file("other.crt");
        {
            Subscriber wrongCa(spec, async::Clock::system());
            QTRY_VERIFY_WITH_TIMEOUT(wrongCa.source.client().attempt() >= 1, 10000);
            QVERIFY2(wrongCa.source.stateText().contains(QLatin1String("not signed by the CA in ") +
                                                         file("other.crt")),
                     qPrintable(wrongCa.source.stateText()));
        }
        spec.caFile = file("missing-ca.crt");
        {
            // libmosquitto stores no TLS settings when a file is unreadable: connecting then
            // would send the credentials in plain text, so it must not connect at all.
            Subscriber unreadable(spec, async::Clock::system());
            test::spin(300ms);
            QVERIFY2(
                unreadable.source.stateText().startsWith(
                    QLatin1String("not connecting: TLS: cannot read ") + file("missing-ca.crt")),
                qPrintable(unreadable.source.stateText()));
            QCOMPARE(unreadable.source.client().attempt(), 0);
        }
        spec.caFile = file("other.crt"); // the CA that signed the certificate for elsewhere.test
        MosquittoBroker elsewhere({{}, file("server-other.crt"), file("server-other.key")});
        QVERIFY(elsewhere.isRunning());
        spec.broker = elsewhere.url(QStringLiteral("mqtts"));
        {
            Subscriber wrongHost(spec, async::Clock::system());
            QTRY_VERIFY_WITH_TIMEOUT(wrongHost.source.client().attempt() >= 1, 10000);
            QVERIFY2(wrongHost.source.stateText().contains(
                         QLatin1String("not valid for host 127.0.0.1")),
                     qPrintable(wrongHost.source.stateText()));
        }
    }

    void wrongCredentialsSayWhyAndThePasswordIsNeverShown() {
        QTemporaryDir dir;
        const QString passwords = dir.filePath(QStringLiteral("passwords"));
        QProcess tool;
        tool.start(QStringLiteral("mosquitto_passwd"),
                   {QStringLiteral("-b"), QStringLiteral("-c"), passwords,
                    QStringLiteral("operator"), QStringLiteral("right-horse-battery")});
        QVERIFY(tool.waitForFinished(10000) && tool.exitCode() == 0);
        shareWithTheBroker(dir);
        MosquittoBroker broker({passwords, {}, {}});
        QVERIFY(broker.isRunning());
        CapturedLog captured;
        auto spec = specFor(broker, QStringLiteral("private/#"));
        spec.username = QStringLiteral("operator");
        spec.password = QStringLiteral("wrong-staple-7731");
        {
            Subscriber wrong(spec, async::Clock::system());
            QTRY_VERIFY_WITH_TIMEOUT(wrong.source.client().attempt() >= 1, 10000);
            const QString state = wrong.source.stateText();
            QVERIFY2(state.contains(QLatin1String("refused the connection")) &&
                         state.contains(QLatin1String("not authorised")),
                     qPrintable(state));
            QVERIFY(!state.contains(spec.password));
            QVERIFY(!wrong.log.join(u'\n').contains(spec.password));
        }
        spec.password = QStringLiteral("right-horse-battery");
        {
            Subscriber right(spec, async::Clock::system());
            QTRY_VERIFY_WITH_TIMEOUT(right.connected(), 10000);
        }
        QVERIFY(!CapturedLog::lines().isEmpty()); // the debug log was on, and said things
        for (const auto &line : CapturedLog::lines()) {
            QVERIFY2(!line.contains(QLatin1String("wrong-staple")), qPrintable(line));
            QVERIFY2(!line.contains(QLatin1String("right-horse")), qPrintable(line));
        }
    }

    void theDemoPublisherLosesNothingAtQos1() {
        MosquittoBroker broker;
        QVERIFY(broker.isRunning());
        auto spec = specFor(broker, QStringLiteral("load/#"));
        spec.qos = 1;
        spec.fields = {{QStringLiteral("v"), QStringLiteral("/v")}};
        spec.timestampPointer = QStringLiteral("/ts");
        Subscriber sub(spec, async::Clock::system());
        QTRY_VERIFY_WITH_TIMEOUT(sub.connected(), 10000);
        demo::MqttDemoPublisher publisher(async::Clock::system(),
                                          *mqtt::parseBrokerUrl(broker.url(), nullptr),
                                          {50, 200, 1, 1.0});
        const auto stopAtExit = qScopeGuard([&publisher] { test::drive(publisher.stop()); });
        QSignalSpy finished(&publisher, &demo::MqttDemoPublisher::finished);
        publisher.start();
        QVERIFY(finished.wait(15000));
        QCOMPARE(publisher.published(), 10000); // 50 topics x 200 Hz x 1 s, however slow
        QTRY_COMPARE_WITH_TIMEOUT(sub.source.messages(), publisher.published(), 10000);
        QCOMPARE(sub.source.badData(), 0);
        QCOMPARE(sub.hub.ids().size(), 51); // 50 topics and the delay series
    }

    void aPublisherWhoseBrokerIsAwayGivesUpAndSaysWhy() {
        MosquittoBroker broker;
        broker.kill(); // nobody listens on its port
        demo::MqttDemoPublisher publisher(async::Clock::system(),
                                          *mqtt::parseBrokerUrl(broker.url(), nullptr),
                                          {10, 100, 1, 1.0});
        const auto stopAtExit = qScopeGuard([&publisher] { test::drive(publisher.stop()); });
        QSignalSpy finished(&publisher, &demo::MqttDemoPublisher::finished);
        publisher.start();
        QVERIFY(finished.wait(15000)); // after the 10 s connect deadline, not never
        QCOMPARE(publisher.published(), 0);
        QVERIFY2(publisher.error().contains(QLatin1String("Connection refused")),
                 qPrintable(publisher.error()));
    }

    void thePlantDemoPublishesEveryPlantTopic() {
        MosquittoBroker broker;
        QVERIFY(broker.isRunning());
        auto spec = specFor(broker, QStringLiteral("plant/vibration"));
        spec.fields = {{QStringLiteral("g"), QStringLiteral("/g")}};
        spec.timestampPointer = QStringLiteral("/ts");
        Subscriber sub(spec, async::Clock::system());
        QTRY_VERIFY_WITH_TIMEOUT(sub.connected(), 10000);
        demo::MqttDemoPublisher publisher(
            async::Clock::system(), *mqtt::parseBrokerUrl(broker.url(), nullptr), {0, 10, 0, 0.5});
        const auto stopAtExit = qScopeGuard([&publisher] { test::drive(publisher.stop()); });
        QSignalSpy finished(&publisher, &demo::MqttDemoPublisher::finished);
        publisher.start();
        QVERIFY(finished.wait(15000));
        QCOMPARE(publisher.published(), 40);                        // 8 topics x 5 ticks
        QTRY_COMPARE_WITH_TIMEOUT(sub.source.messages(), 5, 10000); // the vibration batches
        const QString id =
            mqtt::seriesId(spec, QStringLiteral("plant/vibration"), QStringLiteral("g"));
        QCOMPARE(sub.hub.stats(id).ok, 500); // 1 kHz: 100 samples a batch, each at its own ms
        const auto h = sub.hub.history(id).samples(0, std::numeric_limits<qint64>::max());
        QCOMPARE(h.back().t - h.front().t, 499);
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
