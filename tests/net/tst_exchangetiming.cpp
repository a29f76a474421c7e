// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"
#include "hostileserver.h"
#include "loopbacktls.h"
#include "net/httpclient.h"

#include <QTest>
#include <QTimer>

using namespace std::chrono_literals;
using namespace vigil;
using net::ExchangeTiming;
using net::HttpRequest;
using test::drive;
using test::HostileServer;

namespace {
/// Answers after @p wait with headers, then the body in two halves @p gap apart.
HostileServer::Script slowAnswer(std::chrono::milliseconds wait, std::chrono::milliseconds gap) {
    return [wait, gap](QTcpSocket *s, const QByteArray &, int) {
        QTimer::singleShot(wait, s, [s, gap] {
            s->write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nfirst");
            s->flush();
            QTimer::singleShot(gap, s, [s] { s->write("-half"); });
        });
    };
}

HttpRequest get(const QUrl &url) {
    HttpRequest r;
    r.url = url;
    return r;
}

/// The phases add up to what the caller measured, give or take the loop's own turns.
void checkAddsUp(const net::HttpResponse &r) {
    const double elapsed = async::toMs(r.elapsed);
    QVERIFY2(
        r.timing.totalMs() <= elapsed + 5 && r.timing.totalMs() >= elapsed - 25,
        qPrintable(
            QStringLiteral("phases %1 ms, elapsed %2 ms").arg(r.timing.totalMs()).arg(elapsed)));
}
} // namespace

// Each exchange on Vigil's own connections tells where its time went, as HAR splits it.
class TestExchangeTiming : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aFreshConnectionThenAReusedOneShowTheirPhases() {
        HostileServer server(slowAnswer(150ms, 100ms));
        net::HttpClient client(async::Clock::system());
        const auto first = drive(client.send(get(server.url(QStringLiteral("/a"))))).value();
        QVERIFY2(first.ok(), qPrintable(first.errorMessage));
        const ExchangeTiming &t = first.timing;
        QVERIFY(t.measured);
        QVERIFY(!t.reused);
        QVERIFY2(t.dnsMs >= 0 && t.connectMs >= 0, "a new connection was opened");
        QCOMPARE(t.sslMs, -1.0f); // plain HTTP
        QVERIFY2(t.waitMs >= 140, qPrintable(QString::number(t.waitMs)));
        QVERIFY2(t.receiveMs >= 50, qPrintable(QString::number(t.receiveMs)));
        checkAddsUp(first);

        const auto second = drive(client.send(get(server.url(QStringLiteral("/b"))))).value();
        QVERIFY(second.ok());
        QCOMPARE(server.connections(), 1);
        QVERIFY(second.timing.reused);
        QCOMPARE(second.timing.dnsMs, -1.0f);
        QCOMPARE(second.timing.connectMs, -1.0f);
        QVERIFY(second.timing.waitMs >= 140);
        checkAddsUp(second);
    }

    void tlsTimeIsPartOfConnecting() {
        HostileServer server(slowAnswer(0ms, 0ms), HostileServer::Transport::Tls);
        net::HttpClient client(async::Clock::system());
        client.setTlsConfiguration(test::trustingLoopback());
        const auto r = drive(client.send(get(server.url()))).value();
        QVERIFY2(r.ok(), qPrintable(r.errorMessage));
        QVERIFY(r.timing.sslMs > 0);
        QVERIFY(r.timing.sslMs <= r.timing.connectMs);
        checkAddsUp(r);
    }

    void aRefusedConnectionIsAllConnecting() {
        quint16 port = 0;
        {
            HostileServer gone([](QTcpSocket *, const QByteArray &, int) {});
            port = gone.port();
        }
        net::HttpClient client(async::Clock::system());
        const auto r =
            drive(client.send(get(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port))))).value();
        QCOMPARE(r.error, net::HttpErrorKind::ConnectionRefused);
        QVERIFY(r.timing.measured);
        QVERIFY(r.timing.connectMs >= 0);
        QCOMPARE(r.timing.sendMs + r.timing.waitMs + r.timing.receiveMs, 0.0f);
    }

    void eachRedirectHopKeepsItsOwnTiming() {
        HostileServer server([](QTcpSocket *s, const QByteArray &head, int) {
            if (head.startsWith("GET /old ")) {
                QTimer::singleShot(80ms, s, [s] {
                    s->write("HTTP/1.1 302 Found\r\nLocation: /new\r\nContent-Length: 0\r\n\r\n");
                });
                return;
            }
            s->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });
        net::HttpClient client(async::Clock::system());
        const auto r = drive(client.send(get(server.url(QStringLiteral("/old"))))).value();
        QVERIFY(r.ok());
        QCOMPARE(r.redirects.size(), 1);
        QCOMPARE(r.redirects[0].status, 302);
        QCOMPARE(r.redirects[0].url.path(), QStringLiteral("/old"));
        QVERIFY(r.redirects[0].timing.waitMs >= 70);
        QVERIFY(r.timing.reused); // the second hop went on the same connection
        QVERIFY(r.timing.waitMs < r.redirects[0].timing.waitMs);
    }

    // The server closed a kept-alive connection just as it was reused: the request goes again on
    // a new one, and that exchange's phases are its own (the dead connection counts as connecting).
    void aStaleConnectionReopenedKeepsTheNewExchangesPhases() {
        HostileServer server([](QTcpSocket *s, const QByteArray &, int index) {
            if (index == 0)
                s->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            else if (index == 1)
                s->disconnectFromHost(); // unanswered: it raced the reuse
            else
                slowAnswer(150ms, 0ms)(s, {}, index);
        });
        net::HttpClient client(async::Clock::system());
        QVERIFY(drive(client.send(get(server.url(QStringLiteral("/a"))))).value().ok());
        const auto r = drive(client.send(get(server.url(QStringLiteral("/b"))))).value();
        QVERIFY2(r.ok(), qPrintable(r.errorMessage));
        QCOMPARE(server.connections(), 2);
        QVERIFY(r.timing.measured);
        QVERIFY(!r.timing.reused);
        QVERIFY(r.timing.connectMs >= 0);
        QVERIFY2(r.timing.waitMs >= 140, qPrintable(QString::number(r.timing.waitMs)));
        checkAddsUp(r);
    }

    void qtsOwnStackCountsEverythingAsWaiting() {
        HostileServer server(slowAnswer(50ms, 0ms));
        net::HttpClient client(async::Clock::system());
        client.setQtNetworkOnly(true);
        const auto r = drive(client.send(get(server.url()))).value();
        QVERIFY2(r.ok(), qPrintable(r.errorMessage));
        QVERIFY(!r.timing.measured);
        QCOMPARE(r.timing.connectMs, -1.0f);
        QVERIFY(r.timing.waitMs >= 45);
        checkAddsUp(r);
    }
};

QTEST_GUILESS_MAIN(TestExchangeTiming)
#include "tst_exchangetiming.moc"
