// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"
#include "hostileserver.h"
#include "net/httpclient.h"

#include <QTest>
#include <QTimer>

using namespace std::chrono_literals;
using namespace vigil;
using net::HttpRequest;
using test::HostileServer;
using vigil::test::drive;

// What a request owes its caller on Vigil's own connections, kept alive or failing mid-write: the
// same deadlines and signals as on a fresh connection, and an end.
class TestKeptAlive : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aLongTransferOnAKeptAliveConnectionOutlivesTheConnectDeadline_data() {
        QTest::addColumn<bool>("streaming");
        QTest::newRow("a fetch (body kept)") << false;
        QTest::newRow("a download (body streamed)") << true;
    }

    // The request on a reused connection left inside the reply's constructor, and the signal
    // that says so was lost: the connect deadline then aborted the transfer as "could not
    // connect" however well it went (a download of /huge restarted every 10 s).
    void aLongTransferOnAKeptAliveConnectionOutlivesTheConnectDeadline() {
        QFETCH(bool, streaming);
        HostileServer server([](QTcpSocket *s, const QByteArray &head, int) {
            if (head.startsWith("GET /first ")) {
                s->write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
                return;
            }
            // Headers at once, the body well after the connect deadline.
            s->write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
            QTimer::singleShot(900ms, s, [s] { s->write("later"); });
        });
        net::HttpClient client(async::Clock::system());
        HttpRequest first;
        first.url = server.url(QStringLiteral("/first"));
        QCOMPARE(drive(client.send(first)).value().body, QByteArray("first"));

        HttpRequest second;
        second.url = server.url(QStringLiteral("/second"));
        second.connectTimeout = 300ms;
        QByteArray streamed;
        if (streaming)
            second.onChunk = [&streamed](const QByteArray &chunk) {
                streamed += chunk;
                return true;
            };
        const auto r = drive(client.send(second)).value();
        QVERIFY2(r.ok(), qPrintable(r.errorMessage));
        QCOMPARE(streaming ? streamed : r.body, QByteArray("later"));
        QCOMPARE(server.connections(), 1); // it was the kept-alive connection
    }

    // A body too big for the kernel's buffers waits in the socket's own; the server resets
    // before reading it. Qt then reports the failed write while the socket still says it is
    // connected, with its descriptor closed: reading on from there found "closed" again and
    // again, without end (a stack overflow).
    void aResetWhileTheBodyIsStillBeingWrittenEndsTheRequest() {
        HostileServer server([](QTcpSocket *s, const QByteArray &, int) {
            HostileServer::reset(s); // without reading the body
        });
        net::HttpClient client(async::Clock::system());
        HttpRequest post;
        post.url = server.url(QStringLiteral("/upload"));
        post.method = "POST";
        post.body = QByteArray(64 * 1024 * 1024, 'u');
        const auto r = drive(client.send(post)).value();
        QVERIFY(!r.ok());
        QVERIFY2(r.errorMessage.contains(QStringLiteral("closed the connection")),
                 qPrintable(r.errorMessage));
    }
};

QTEST_GUILESS_MAIN(TestKeptAlive)
#include "tst_keptalive.moc"
