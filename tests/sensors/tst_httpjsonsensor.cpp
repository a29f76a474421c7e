// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "demofixture.h"
#include "hostileserver.h"
#include "net/httpclient.h"
#include "sensors/httpjsonsensor.h"
#include "sensors/poller.h"

#include <QTcpServer>
#include <QTest>

using namespace std::chrono_literals;
using namespace vigil;
using namespace vigil::sensors;
using vigil::test::drive;

class TestHttpJsonSensor : public QObject {
    Q_OBJECT
    test::DemoFixture m_server;
    net::HttpClient *m_client = nullptr;

    HttpJsonSensor sensor(const QString &path, const QString &pointer) {
        return HttpJsonSensor({QStringLiteral("s"),
                               QStringLiteral("u"),
                               QUrl(m_server->baseUrl().toString() + path),
                               pointer,
                               {},
                               {}},
                              *m_client);
    }

private Q_SLOTS:
    void init() {
        QVERIFY(m_server.start(9));
        m_client = new net::HttpClient(async::Clock::system(), this);
    }

    void cleanup() {
        delete m_client;
        m_server.stop();
    }

    void readsTheDemoApiSensor() {
        auto s = sensor(QStringLiteral("/sensors/Reactor_Temp"), QStringLiteral("/value"));
        const auto r = drive(s.read({}));
        QVERIFY2(r.isOk(), qPrintable(r.errorMessage()));
        QVERIFY(std::abs(r.value() - 150) < 30);
    }

    void eachFailureIsItsOwnError_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing pointer")
            << QStringLiteral("/sensors/Reactor_Temp") << QStringLiteral("/nope")
            << int(ReadingError::BadData) << QStringLiteral("no member \"nope\"");
        QTest::newRow("not a number")
            << QStringLiteral("/sensors/Reactor_Temp") << QStringLiteral("/unit")
            << int(ReadingError::BadData) << QStringLiteral("not a number");
        QTest::newRow("bad JSON") << QStringLiteral("/bad-json") << QStringLiteral("/value")
                                  << int(ReadingError::BadData) << QStringLiteral("not JSON");
        QTest::newRow("HTTP 404") << QStringLiteral("/sensors/Nope") << QStringLiteral("/value")
                                  << int(ReadingError::Unavailable) << QStringLiteral("HTTP 404");
    }

    void eachFailureIsItsOwnError() {
        QFETCH(QString, path);
        QFETCH(QString, pointer);
        QFETCH(int, kind);
        QFETCH(QString, message);
        auto s = sensor(path, pointer);
        const auto r = drive(s.read({}));
        QVERIFY(r.failedWith<SensorError>());
        try {
            std::rethrow_exception(r.error());
        } catch (const SensorError &e) {
            QCOMPARE(int(e.kind()), kind);
            QVERIFY2(QString::fromUtf8(e.what()).contains(message), e.what());
        }
    }

    void closedPortIsUnavailable() {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost);
        const quint16 port = probe.serverPort();
        probe.close();
        HttpJsonSensor s({QStringLiteral("s"),
                          {},
                          QUrl(QStringLiteral("http://127.0.0.1:%1/x").arg(port)),
                          QStringLiteral("/v"),
                          {},
                          {}},
                         *m_client);
        QVERIFY(drive(s.read({})).failedWith<SensorError>());
    }

    void credentialsDoNotFollowARedirectToAnotherHost() {
        test::HostileServer other([](QTcpSocket *s, const QByteArray &, int) {
            s->write("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n{\"value\": 7}");
        });
        const QByteArray location = other.url(QStringLiteral("/v")).toEncoded();
        test::HostileServer origin([location](QTcpSocket *s, const QByteArray &, int) {
            s->write("HTTP/1.1 302 Found\r\nLocation: " + location +
                     "\r\nContent-Length: 0\r\n\r\n");
        });
        HttpJsonSensor s({QStringLiteral("s"),
                          {},
                          origin.url(QStringLiteral("/v")),
                          QStringLiteral("/value"),
                          {{"Authorization", "Bearer a1"}, {"X-Api-Key", "k2"}, {"X-Tenant", "t3"}},
                          {"x-tenant"}},
                         *m_client);
        const auto r = drive(s.read({}));
        QVERIFY2(r.isOk(), qPrintable(r.errorMessage()));
        QCOMPARE(r.value(), 7.0);
        QVERIFY(origin.heads().first().contains("X-Api-Key: k2"));
        QCOMPARE(other.heads().size(), 1);
        QVERIFY(origin.heads().first().contains("X-Tenant: t3"));
        QVERIFY2(!other.heads().first().contains("Bearer a1") &&
                     !other.heads().first().contains("k2") && !other.heads().first().contains("t3"),
                 other.heads().first().constData());
    }

    void hangIsATimeoutAndPollingGoesOn() {
        auto &clock = async::Clock::system();
        Poller poller(clock);
        auto hang = std::make_shared<HttpJsonSensor>(
            HttpJsonSpec{QStringLiteral("hang"),
                         {},
                         QUrl(m_server->baseUrl().toString() + QStringLiteral("/hang")),
                         QStringLiteral("/v"),
                         {},
                         {}},
            *m_client);
        hang->setInterval(200ms);
        hang->setTimeout(150ms);
        poller.addSensor(hang);
        QList<Reading> readings;
        connect(&poller, &Poller::reading, this,
                [&](const QString &, const Reading &r) { readings << r; });
        poller.start();
        QTRY_VERIFY_WITH_TIMEOUT(readings.size() >= 3, 10000);
        QVERIFY(drive(poller.stop()).isOk());
        for (const auto &r : readings)
            QCOMPARE(r.error, ReadingError::Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->inFlight(), 0, 5000);
    }

    void numericStringsCount() {
        QCOMPARE(HttpJsonSensor::extract("{\"a\": \" 18.015 \"}", QStringLiteral("/a")), 18.015);
        QCOMPARE(HttpJsonSensor::extract("[1, 2.5]", QStringLiteral("/1")), 2.5);
    }
};

QTEST_GUILESS_MAIN(TestHttpJsonSensor)
#include "tst_httpjsonsensor.moc"
