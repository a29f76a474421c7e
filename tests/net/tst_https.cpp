// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"
#include "hostileserver.h"

#include "async/bytebudget.h"
#include "net/httpclient.h"

#include <QTcpSocket>
#include <QTest>

#include <sys/socket.h>

using namespace std::chrono_literals;
using namespace vigil;
using net::HttpErrorKind;
using net::HttpRequest;
using net::HttpResponse;
using test::HostileServer;
using vigil::test::drive;

namespace {
HttpRequest get(const QUrl &url) {
    HttpRequest r;
    r.url = url;
    r.timeout = 10s;
    return r;
}

/// Asks as the downloader does: the body streamed to @p into, not kept.
void streamInto(HttpRequest &request, QByteArray &into, async::ByteBudget *bandwidth) {
    request.bandwidth = bandwidth;
    request.holdReads = [] { return false; };
    request.onChunk = [&into](const QByteArray &chunk) {
        into += chunk;
        return true;
    };
}

QByteArray ok(const QByteArray &body) {
    return "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" +
           body;
}
} // namespace

/// Https runs on Vigil's own HTTP/1.1 parser over TLS, as plain http does: the same framing
/// judgement (Qt's took a reset for the end of a body, a bad chunk size for the last chunk), the
/// same keep-alive pool, and TLS verified as before.
class TestHttps : public QObject {
    Q_OBJECT
    net::HttpClient *m_client = nullptr;

private Q_SLOTS:
    void init() {
        m_client = new net::HttpClient(async::Clock::system(), this);
        m_client->setTlsConfiguration(test::trustingLoopback());
    }
    void cleanup() {
        delete m_client;
        m_client = nullptr;
    }

    void framingIsJudgedAsOnHttp_data() {
        // How the server ends its answer after a body without a length ("close_notify": the TLS
        // alert, then a FIN; "fin": a bare FIN; "rst"), or a bad chunk-size line. "failure" is
        // part of the error expected, empty when the body is whole.
        QTest::addColumn<QByteArray>("ending");
        QTest::addColumn<bool>("streamed");
        QTest::addColumn<QString>("failure");
        for (const bool streamed : {false, true}) {
            const char *how = streamed ? "download (streamed)" : "fetch";
            QTest::addRow("close_notify, %s", how)
                << QByteArray("close_notify") << streamed << QString();
            QTest::addRow("FIN without close_notify, %s", how)
                << QByteArray("fin") << streamed
                << QStringLiteral("without close_notify, so the body may be cut short");
            QTest::addRow("RST, %s", how) << QByteArray("rst") << streamed
                                          << QStringLiteral("reset the connection mid-response");
            for (const char *size : {"zz", "-1", "8000000000000000"})
                QTest::addRow("chunk size %s, %s", size, how)
                    << QByteArray(size) << streamed << QStringLiteral("bad chunk size");
        }
    }

    void framingIsJudgedAsOnHttp() {
        QFETCH(QByteArray, ending);
        QFETCH(bool, streamed);
        QFETCH(QString, failure);
        const QByteArray body(200000, 'v');
        HostileServer server(
            [&](QTcpSocket *s, const QByteArray &, int) {
                const bool chunked = ending != "close_notify" && ending != "fin" && ending != "rst";
                if (chunked) {
                    s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + ending +
                             "\r\nhello\r\n0\r\n\r\n");
                    return s->disconnectFromHost();
                }
                s->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n" +
                         body);
                s->flush();
                if (ending == "rst")
                    return HostileServer::reset(s);
                if (ending == "fin") // below TLS: what a man in the middle can forge
                    return void(::shutdown(int(s->socketDescriptor()), SHUT_WR));
                s->disconnectFromHost(); // QSslSocket sends close_notify first
            },
            HostileServer::Transport::Tls);
        auto request = get(server.url(QStringLiteral("/file.bin")));
        async::ByteBudget unlimited(async::Clock::system(), 0);
        QByteArray streamedBytes;
        if (streamed)
            streamInto(request, streamedBytes, &unlimited);
        const auto r = drive(m_client->send(request)).value();
        if (failure.isEmpty()) {
            QVERIFY2(r.ok(), qPrintable(r.errorMessage));
            QCOMPARE(streamed ? streamedBytes : r.body, body);
            return;
        }
        QVERIFY2(r.error == HttpErrorKind::Network && r.errorMessage.contains(failure),
                 qPrintable(QStringLiteral("%1 (%2 bytes)")
                                .arg(r.errorMessage)
                                .arg(streamed ? streamedBytes.size() : r.body.size())));
    }

    void verificationFailsAsItDidOnQt_data() {
        QTest::addColumn<bool>("qtNetwork");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("reason");
        for (const bool qt : {false, true}) {
            const char *how = qt ? "Qt network" : "lean";
            QTest::addRow("untrusted, %s", how)
                << qt << QStringLiteral("127.0.0.1")
                << QStringLiteral("The certificate is self-signed, and untrusted");
            QTest::addRow("another name, %s", how)
                << qt << QStringLiteral("localhost")
                << QStringLiteral(
                       "The host name did not match any of the valid hosts for this certificate");
        }
    }

    void verificationFailsAsItDidOnQt() {
        QFETCH(bool, qtNetwork);
        QFETCH(QString, host);
        QFETCH(QString, reason);
        m_client->setQtNetworkOnly(qtNetwork);
        if (host == QLatin1String("127.0.0.1")) // the default trust: the system's CAs only
            m_client->setTlsConfiguration(QSslConfiguration::defaultConfiguration());
        HostileServer server([](QTcpSocket *s, const QByteArray &, int) { s->write(ok("no")); },
                             HostileServer::Transport::Tls);
        QUrl url = server.url();
        url.setHost(host);
        const auto r = drive(m_client->send(get(url))).value();
        QCOMPARE(r.error, HttpErrorKind::Tls);
        QCOMPARE(r.errorMessage, QStringLiteral("TLS verification failed: ") + reason);
        QCOMPARE(server.heads().size(), 0); // nothing was sent to an unverified peer
    }

    void connectionsAreKeptAliveAndApartFromHttp() {
        HostileServer server([](QTcpSocket *s, const QByteArray &,
                                int i) { s->write(ok("answer " + QByteArray::number(i))); },
                             HostileServer::Transport::Tls);
        for (int i = 0; i < 3; ++i) {
            const auto r = drive(m_client->send(get(server.url()))).value();
            QVERIFY2(r.ok(), qPrintable(r.errorMessage));
            QCOMPARE(r.body, "answer " + QByteArray::number(i));
        }
        QCOMPARE(server.connections(), 1);
        const QByteArray host = "\r\nHost: 127.0.0.1:" + QByteArray::number(server.port()) + "\r\n";
        QVERIFY2(server.heads().first().contains(host), server.heads().first().constData());
        // The same port over plain http must not be handed the idle TLS connection.
        QUrl plain = server.url();
        plain.setScheme(QStringLiteral("http"));
        const auto r = drive(m_client->send(get(plain))).value();
        QVERIFY(!r.ok());
        QCOMPARE(server.connections(), 1); // a TLS server never finished a handshake with it
    }

    void aThrottledDownloadStillFinishes() {
        // A slow bandwidth cap keeps the read buffer small: the TLS socket must still be read on
        // once the reader makes room (its undecrypted bytes do not count as available).
        const QByteArray body = QByteArray(3 * 1024 * 1024, 'd');
        HostileServer server([&](QTcpSocket *s, const QByteArray &, int) { s->write(ok(body)); },
                             HostileServer::Transport::Tls);
        async::ByteBudget cap(async::Clock::system(), 2 * 1024 * 1024); // bytes a second
        auto request = get(server.url(QStringLiteral("/big.bin")));
        QByteArray got;
        streamInto(request, got, &cap);
        const auto r = drive(m_client->send(request)).value();
        QVERIFY2(r.ok(), qPrintable(r.errorMessage));
        QCOMPARE(got.size(), body.size());
        QVERIFY(got == body);
    }
};

QTEST_GUILESS_MAIN(TestHttps)
#include "tst_https.moc"
