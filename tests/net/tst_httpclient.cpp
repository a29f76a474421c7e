// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"
#include "hostileserver.h"

#include "async/bytebudget.h"
#include "demo/demodata.h"
#include "demofixture.h"
#include "net/httpclient.h"

#include <QCryptographicHash>
#include <QScopeGuard>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace std::chrono_literals;
using namespace vigil;
using net::HttpErrorKind;
using net::HttpRequest;
using net::HttpResponse;
using vigil::test::drive;

namespace {
HttpRequest get(const QUrl &url, std::chrono::milliseconds timeout = 5000ms) {
    HttpRequest r;
    r.url = url;
    r.timeout = timeout;
    return r;
}

QCoro::Task<std::vector<HttpResponse>> fetchAll(net::HttpClient &client, QList<QUrl> urls) {
    std::vector<QCoro::Task<HttpResponse>> tasks;
    for (const auto &u : urls)
        tasks.push_back(client.send(get(u)));
    std::vector<HttpResponse> out;
    for (auto &t : tasks)
        out.push_back(co_await t);
    co_return out;
}

/// A real loopback server whose answer has no Content-Length and never ends: only the running
/// size cap can stop it (the demo server always sends a length, which is refused up front).
class EndlessWithoutLength : public QObject {
public:
    EndlessWithoutLength() {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection())
                serve(s);
        });
    }
    [[nodiscard]] QUrl url() const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/endless").arg(m_server.serverPort()));
    }

private:
    static void serve(QTcpSocket *s) {
        QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        QObject::connect(s, &QTcpSocket::readyRead, s, [s] {
            s->readAll();
            s->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                     "Connection: close\r\n\r\n");
            s->write(QByteArray(64 * 1024, 'x'));
        });
        QObject::connect(s, &QTcpSocket::bytesWritten, s, [s] {
            if (s->bytesToWrite() < 64 * 1024)
                s->write(QByteArray(64 * 1024, 'x'));
        });
    }
    QTcpServer m_server;
};

/// A real loopback server that answers every request with the same bytes, then closes.
class FixedAnswer : public QObject {
public:
    explicit FixedAnswer(QByteArray answer)
        : m_answer(std::move(answer)) {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
                QObject::connect(s, &QTcpSocket::readyRead, s, [s, answer = m_answer] {
                    s->readAll();
                    s->write(answer);
                    s->disconnectFromHost();
                });
            }
        });
    }
    [[nodiscard]] QUrl url() const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/x").arg(m_server.serverPort()));
    }

private:
    QByteArray m_answer;
    QTcpServer m_server;
};

// The client lives in this frame, so it dies in the continuation of its own last reply.
QCoro::Task<int> sendFromOwnClient(QUrl url) {
    net::HttpClient client;
    const HttpRequest request = get(url);
    const HttpResponse response = co_await client.send(request);
    co_return response.status;
}

quint16 closedPort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort(); // closed again when probe goes out of scope
}
} // namespace

class TestHttpClient : public QObject {
    Q_OBJECT
    test::DemoFixture m_server;
    net::HttpClient *m_client = nullptr;

    QUrl url(const QString &pathAndQuery) const {
        return QUrl(m_server->baseUrl().toString() + pathAndQuery);
    }

private Q_SLOTS:
    void init() {
        QVERIFY(m_server.start(7));
        m_client = new net::HttpClient(async::Clock::system(), this);
    }

    void cleanup() {
        delete m_client;
        m_server.stop();
    }

    void aClientMayDieInItsLastRepliesContinuation() {
        // Its pool once deleted the socket whose readyRead was still being emitted: one run in
        // three returned into freed memory.
        for (int i = 0; i < 30; ++i)
            QCOMPARE(drive(sendFromOwnClient(url(QStringLiteral("/item/1?ms=0")))).value(), 200);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }

    void getReturnsStatusBodyAndHeaders() {
        const auto r = drive(m_client->send(get(url(QStringLiteral("/item/42?ms=0"))))).value();
        QVERIFY2(r.ok(), qPrintable(r.errorMessage));
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("\"id\":\"42\""));
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QCOMPARE(r.bytesReceived, r.body.size());
    }

    void hangTimesOutAtTheDeadlineAndTheServerSeesItClosed() {
        QElapsedTimer wall;
        wall.start();
        const auto r = drive(m_client->send(get(url(QStringLiteral("/hang")), 300ms))).value();
        QCOMPARE(r.error, HttpErrorKind::Timeout);
        QVERIFY2(r.errorMessage.contains(QStringLiteral("300 ms")), qPrintable(r.errorMessage));
        QVERIFY(wall.elapsed() >= 290);
        QVERIFY(wall.elapsed() < 3000);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->inFlight(), 0, 5000);
        QCOMPARE(m_server->abandonedCount(), qint64(1));
    }

    void trickleDoesNotExtendTheTotalDeadline() {
        // 40 bytes, one per 50 ms = 2 s of steady progress: an idle timeout would never fire.
        const auto r = drive(m_client->send(get(
                                 url(QStringLiteral("/slowbody?bytes=40&interval-ms=50")), 400ms)))
                           .value();
        QCOMPARE(r.error, HttpErrorKind::Timeout);
        QVERIFY(r.bytesReceived > 0);
        QVERIFY(r.bytesReceived < 40);
    }

    void sizeCapStopsAnEndlessBody() {
        auto req = get(url(QStringLiteral("/huge")));
        req.maxBodyBytes = 1 << 20;
        const auto r = drive(m_client->send(req)).value();
        QCOMPARE(r.error, HttpErrorKind::TooLarge);
        QVERIFY(r.body.size() <= (1 << 20));
        QVERIFY(r.errorMessage.contains(QStringLiteral("1048576")));
    }

    void contentLengthOverTheCapFailsBeforeTheBody() {
        auto req = get(url(QStringLiteral("/bytes/5000000")));
        req.maxBodyBytes = 1000;
        const auto r = drive(m_client->send(req)).value();
        QCOMPARE(r.error, HttpErrorKind::TooLarge);
        QVERIFY(r.bytesReceived < 5000000);
    }

    void eachFaultHasItsOwnError_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("redirect loop")
            << QStringLiteral("/redirect-loop") << int(HttpErrorKind::RedirectLoop)
            << QStringLiteral("too many redirects");
        QTest::newRow("unknown compound is HTTP 404")
            << QStringLiteral("/compound/unobtainium?ms=0") << int(HttpErrorKind::HttpStatus)
            << QStringLiteral("HTTP 404");
        QTest::newRow("injected 500")
            << QStringLiteral("/item/1?ms=0&fail=1") << int(HttpErrorKind::HttpStatus)
            << QStringLiteral("HTTP 500");
    }

    void eachFaultHasItsOwnError() {
        QFETCH(QString, path);
        QFETCH(int, kind);
        QFETCH(QString, message);
        const auto r = drive(m_client->send(get(url(path)))).value();
        QCOMPARE(int(r.error), kind);
        QVERIFY2(r.errorMessage.contains(message), qPrintable(r.errorMessage));
    }

    void closedPortIsConnectionRefused() {
        const QUrl u(QStringLiteral("http://127.0.0.1:%1/x").arg(closedPort()));
        const auto r = drive(m_client->send(get(u))).value();
        QCOMPARE(r.error, HttpErrorKind::ConnectionRefused);
        QVERIFY2(r.errorMessage.contains(QStringLiteral("connection refused by 127.0.0.1")),
                 qPrintable(r.errorMessage));
    }

    void badJsonArrivesAsABodyForTheCallerToJudge() {
        const auto r = drive(m_client->send(get(url(QStringLiteral("/bad-json"))))).value();
        QVERIFY(r.ok());
        QVERIFY(r.body.startsWith("{\"value\""));
    }

    void notAnHttpUrlIsRejectedClearly() {
        const auto r =
            drive(m_client->send(get(QUrl(QStringLiteral("ftp://example.org/x"))))).value();
        QCOMPARE(r.error, HttpErrorKind::Network);
        QVERIFY(r.errorMessage.contains(QStringLiteral("not an http(s) URL")));
    }

    void cancelAbortsAndTheServerSeesTheConnectionClose() {
        std::stop_source source;
        // Cancel once the server holds the request: an event, not a guess at how long that takes.
        const auto held = connect(&m_server.server(), &vigil::demo::DemoServer::inFlightChanged,
                                  this, [&](int inFlight) {
                                      if (inFlight > 0)
                                          source.request_stop();
                                  });
        const auto disconnectHeld = qScopeGuard([held] { QObject::disconnect(held); });
        const auto r =
            drive(m_client->send(get(url(QStringLiteral("/hang")), 10s), source.get_token()))
                .value();
        QCOMPARE(r.error, HttpErrorKind::Cancelled);
        QVERIFY(r.elapsed < 5s);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->inFlight(), 0, 5000);
        QCOMPARE(m_client->inFlight(), 0);
    }

    void retryAfterIsReadFromA429_data() {
        QTest::addColumn<QString>("format");
        QTest::newRow("delay-seconds") << QString();
        QTest::newRow("HTTP-date") << QStringLiteral("&format=date");
    }

    void retryAfterIsReadFromA429() {
        QFETCH(QString, format);
        const QUrl u = url(QStringLiteral("/limited/a?rps=1") + format);
        QVERIFY(drive(m_client->send(get(u))).value().ok());
        const auto r = drive(m_client->send(get(u))).value();
        QCOMPARE(r.status, 429);
        QVERIFY(r.retryAfter.has_value());
        QVERIFY(*r.retryAfter >= 1s);
        QVERIFY(*r.retryAfter <= 3s);
    }

    void streamingModeHandsOverEveryByteWithoutKeepingIt() {
        auto req = get(url(QStringLiteral("/bytes/3000000")));
        req.maxBodyBytes = 1000; // streaming ignores the in-memory cap
        QCryptographicHash hash(QCryptographicHash::Sha256);
        qint64 got = 0;
        int statusSeen = 0;
        req.onHeaders = [&](int status, const net::RawHeaders &) {
            statusSeen = status;
            return true;
        };
        req.onChunk = [&](const QByteArray &chunk) {
            hash.addData(chunk);
            got += chunk.size();
            return true;
        };
        const auto r = drive(m_client->send(req)).value();
        QVERIFY2(r.ok(), qPrintable(r.errorMessage));
        QCOMPARE(statusSeen, 200);
        QCOMPARE(got, qint64(3000000));
        QVERIFY(r.body.isEmpty());
        QByteArray expected(3000000, Qt::Uninitialized);
        demo::fillDemoBytes(expected.data(), 0, expected.size());
        QCOMPARE(hash.result(), QCryptographicHash::hash(expected, QCryptographicHash::Sha256));
    }

    void fortyRequestsReallyRunAtOnce_data() {
        QTest::addColumn<bool>("qtNetwork");
        QTest::newRow("Vigil's HTTP/1.1 pool") << false;
        QTest::newRow("QNetworkAccessManager pool") << true;
    }

    void fortyRequestsReallyRunAtOnce() {
        QFETCH(bool, qtNetwork);
        m_client->setQtNetworkOnly(qtNetwork);
        QList<QUrl> urls;
        for (int i = 0; i < 40; ++i)
            urls << url(QStringLiteral("/item/%1?ms=400").arg(i));
        QElapsedTimer wall;
        wall.start();
        const auto all = drive(fetchAll(*m_client, urls)).value();
        for (const auto &r : all)
            QVERIFY2(r.ok(), qPrintable(r.errorMessage));
        QCOMPARE(m_server->peakInFlight(), 40);
        // One Qt manager would cap this at 6 in flight; the client spreads it over several.
        QCOMPARE(m_client->managerCount() >= 7, qtNetwork);
        QVERIFY2(wall.elapsed() < 2000, qPrintable(QString::number(wall.elapsed())));
    }

    void bothTransportsReportTheSameFaultsTheSameWay_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<HttpErrorKind>("kind");
        QTest::newRow("redirect loop")
            << QStringLiteral("/redirect-loop") << HttpErrorKind::RedirectLoop;
        QTest::newRow("404") << QStringLiteral("/compound/unobtainium?ms=0")
                             << HttpErrorKind::HttpStatus;
        QTest::newRow("hang") << QStringLiteral("/hang") << HttpErrorKind::Timeout;
        QTest::newRow("huge") << QStringLiteral("/huge") << HttpErrorKind::TooLarge;
    }

    void bothTransportsReportTheSameFaultsTheSameWay() {
        QFETCH(QString, path);
        QFETCH(HttpErrorKind, kind);
        std::optional<HttpErrorKind> seen[2];
        for (const bool qtNetwork : {false, true}) {
            m_client->setQtNetworkOnly(qtNetwork);
            auto request = get(url(path));
            request.timeout = 300ms;
            request.maxBodyBytes = 100000;
            const auto r = drive(m_client->send(request)).value();
            QVERIFY2(r.error == kind,
                     qPrintable(QStringLiteral("%1 via %2: %3")
                                    .arg(path, qtNetwork ? u"Qt" : u"Vigil", r.errorMessage)));
            seen[qtNetwork] = r.error;
        }
        QCOMPARE(seen[0], seen[1]);
    }

    void aRefusingReceiverGetsItsOwnErrorKind_data() {
        QTest::addColumn<bool>("refuseHeaders");
        QTest::addColumn<bool>("streamed");
        QTest::addColumn<bool>("qtNetwork");
        QTest::addColumn<int>("managers"); // 0: the lean HTTP/1.1 path ran, 1: Qt's
        QTest::newRow("onHeaders, lean HTTP/1.1 path") << true << false << false << 0;
        QTest::newRow("onHeaders, Qt path (in memory)") << true << false << true << 1;
        QTest::newRow("onHeaders, lean path (streamed)") << true << true << false << 0;
        QTest::newRow("onChunk, lean path (streamed)") << false << true << false << 0;
        QTest::newRow("onChunk, Qt path (streamed)") << false << true << true << 1;
    }

    void aRefusingReceiverGetsItsOwnErrorKind() {
        QFETCH(bool, refuseHeaders);
        QFETCH(bool, streamed);
        QFETCH(bool, qtNetwork);
        QFETCH(int, managers);
        m_client->setQtNetworkOnly(qtNetwork);
        auto req = get(url(QStringLiteral("/bytes/20000000")), 10s);
        int headerCalls = 0;
        int chunkCalls = 0;
        req.onHeaders = [&](int, const net::RawHeaders &) {
            ++headerCalls;
            return !refuseHeaders;
        };
        if (streamed) {
            req.onChunk = [&](const QByteArray &) {
                ++chunkCalls;
                return false;
            };
        }
        const auto r = drive(m_client->send(req)).value();
        QCOMPARE(r.error, HttpErrorKind::Refused);
        QCOMPARE(net::errorKindName(r.error), QStringLiteral("refused by the receiver"));
        QVERIFY2(r.errorMessage.contains(QStringLiteral("stopped by the receiver")),
                 qPrintable(r.errorMessage));
        QCOMPARE(m_client->managerCount(), managers);
        QCOMPARE(headerCalls, 1);
        QCOMPARE(chunkCalls, refuseHeaders ? 0 : 1); // nothing more after the refusal
        QVERIFY(r.bytesReceived < 20000000);
        // The transfer really stopped: the server saw the connection go before the body's end.
        QTRY_COMPARE_WITH_TIMEOUT(m_server->inFlight(), 0, 5000);
        QCOMPARE(m_server->abandonedCount(), qint64(1));
    }

    void nothingFiresAfterTheTransferEnds_data() {
        QTest::addColumn<bool>("streamed");
        QTest::addColumn<bool>("cancel");
        QTest::addColumn<HttpErrorKind>("kind");
        QTest::newRow("timeout, lean path") << false << false << HttpErrorKind::Timeout;
        QTest::newRow("timeout, Qt path (streamed)") << true << false << HttpErrorKind::Timeout;
        QTest::newRow("cancel, lean path") << false << true << HttpErrorKind::Cancelled;
        QTest::newRow("cancel, Qt path (streamed)") << true << true << HttpErrorKind::Cancelled;
    }

    void nothingFiresAfterTheTransferEnds() {
        QFETCH(bool, streamed);
        QFETCH(bool, cancel);
        QFETCH(HttpErrorKind, kind);
        const std::size_t timersBefore = async::Clock::system().pendingTimers();
        // 40 bytes, one per 20 ms: the server would go on for 800 ms if the client let it.
        auto req = get(url(QStringLiteral("/slowbody?bytes=40&interval-ms=20")), 300ms);
        req.idleTimeout = 5s; // one more timer that must not outlive the transfer
        std::stop_source source;
        bool returned = false;
        int late = 0;
        req.onHeaders = [&](int, const net::RawHeaders &) {
            late += returned;
            if (cancel && !streamed)
                source.request_stop(); // an event, not a wall-clock guess
            return true;
        };
        if (streamed) {
            req.onChunk = [&](const QByteArray &) {
                late += returned;
                if (cancel)
                    source.request_stop();
                return true;
            };
        }
        const auto r = drive(m_client->send(req, source.get_token())).value();
        returned = true;
        QCOMPARE(r.error, kind);
        QCOMPARE(async::Clock::system().pendingTimers(), timersBefore);
        QCOMPARE(m_client->inFlight(), 0);
        // The server notices the close at its next byte, 20 ms on; a reply left running would
        // instead get the whole body, 500 ms later.
        QTRY_COMPARE_WITH_TIMEOUT(m_server->inFlight(), 0, 5000);
        QCOMPARE(m_server->abandonedCount(), qint64(1));
        QCOMPARE(late, 0);
    }

    void eachLimitEndsTheTransferWithItsOwnError_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("qtNetwork");
        QTest::addColumn<int>("idleMs");
        QTest::addColumn<qint64>("maxBody");
        QTest::addColumn<HttpErrorKind>("kind");
        QTest::addColumn<QString>("message");
        const qint64 plenty = 64 << 20;
        for (const bool qt : {false, true}) {
            const char *via = qt ? "Qt" : "lean";
            QTest::addRow("total deadline, %s", via)
                << QStringLiteral("/hang") << qt << 0 << plenty << HttpErrorKind::Timeout
                << QStringLiteral("no complete response within 300 ms");
            QTest::addRow("idle timeout, %s", via)
                << QStringLiteral("/slowbody?bytes=3&interval-ms=2000") << qt << 100 << plenty
                << HttpErrorKind::Timeout << QStringLiteral("no data for 100 ms");
            // 500 ms of bytes 20 ms apart: it passes only if each byte re-arms the idle timer.
            QTest::addRow("steady trickle under the idle timeout, %s", via)
                << QStringLiteral("/slowbody?bytes=25&interval-ms=20") << qt << 300 << plenty
                << HttpErrorKind::None << QString();
            QTest::addRow("size cap on an endless body, %s", via)
                << QStringLiteral("/huge") << qt << 0 << qint64(1 << 20) << HttpErrorKind::TooLarge
                << QStringLiteral("body larger than the 1048576-byte limit");
            QTest::addRow("Content-Length over the cap, %s", via)
                << QStringLiteral("/bytes/5000") << qt << 0 << qint64(4999)
                << HttpErrorKind::TooLarge
                << QStringLiteral("body larger than the 4999-byte limit");
        }
    }

    void eachLimitEndsTheTransferWithItsOwnError() {
        QFETCH(QString, path);
        QFETCH(bool, qtNetwork);
        QFETCH(int, idleMs);
        QFETCH(qint64, maxBody);
        QFETCH(HttpErrorKind, kind);
        QFETCH(QString, message);
        m_client->setQtNetworkOnly(qtNetwork);
        auto req = get(url(path), idleMs > 0 ? 5000ms : 300ms);
        req.idleTimeout = std::chrono::milliseconds(idleMs);
        req.maxBodyBytes = maxBody;
        const auto r = drive(m_client->send(req)).value();
        QVERIFY2(r.error == kind,
                 qPrintable(QString(net::errorKindName(r.error) + u": " + r.errorMessage)));
        QCOMPARE(r.errorMessage, message);
        QVERIFY(r.body.size() <= maxBody);
        if (idleMs > 0 && kind == HttpErrorKind::Timeout)
            QVERIFY(r.elapsed < 2s); // the idle timer, well before the first byte or the deadline
        QCOMPARE(m_client->managerCount(), qtNetwork ? 1 : 0);
    }

    void aHostileReasonPhraseCannotReachTheTerminal_data() {
        QTest::addColumn<bool>("qtNetwork");
        QTest::newRow("lean") << false;
        QTest::newRow("Qt") << true;
    }

    // ESC ] 0 ; … BEL would set the terminal's title when the error is printed.
    void aHostileReasonPhraseCannotReachTheTerminal() {
        QFETCH(bool, qtNetwork);
        m_client->setQtNetworkOnly(qtNetwork);
        FixedAnswer server("HTTP/1.1 500 Oops\x1b]0;pwned\x07\x9b"
                           "2J\r\nContent-Length: 0\r\n"
                           "Connection: close\r\n\r\n");
        const auto r = drive(m_client->send(get(server.url()))).value();
        QCOMPARE(r.error, HttpErrorKind::HttpStatus);
        QVERIFY2(r.errorMessage.startsWith(QStringLiteral("HTTP 500 Oops")),
                 qPrintable(r.errorMessage));
        for (const QChar c : r.errorMessage)
            QVERIFY2(c.unicode() >= 0x20 && (c.unicode() < 0x7f || c.unicode() > 0x9f),
                     qPrintable(QStringLiteral("control character U+%1 in the message")
                                    .arg(c.unicode(), 4, 16, QLatin1Char('0'))));
    }

    void sizeCapStopsABodyWithoutALength_data() {
        QTest::addColumn<bool>("qtNetwork");
        QTest::newRow("lean") << false;
        QTest::newRow("Qt") << true;
    }

    void sizeCapStopsABodyWithoutALength() {
        QFETCH(bool, qtNetwork);
        m_client->setQtNetworkOnly(qtNetwork);
        EndlessWithoutLength server;
        auto req = get(server.url());
        req.maxBodyBytes = 1 << 20;
        const auto r = drive(m_client->send(req)).value();
        QCOMPARE(r.error, HttpErrorKind::TooLarge);
        QCOMPARE(r.errorMessage, QStringLiteral("body larger than the 1048576-byte limit"));
        QVERIFY(r.body.size() <= (1 << 20));
        QVERIFY(r.bytesReceived > (1 << 20));
        QCOMPARE(m_client->managerCount(), qtNetwork ? 1 : 0);
    }

    void framingIsJudgedAlikeForFetchesAndDownloads_data() {
        // How the server ends its answer: "fin" and "rst" after a body without a length, or a
        // chunk-size line.
        QTest::addColumn<QByteArray>("ending");
        QTest::addColumn<bool>("streamed");
        QTest::addColumn<bool>("whole");
        for (const bool streamed : {false, true}) {
            const char *how = streamed ? "download (streamed)" : "fetch";
            QTest::addRow("FIN without length, %s", how) << QByteArray("fin") << streamed << true;
            QTest::addRow("RST without length, %s", how) << QByteArray("rst") << streamed << false;
            for (const char *size : {"zz", "-1", "8000000000000000"})
                QTest::addRow("chunk size %s, %s", size, how)
                    << QByteArray(size) << streamed << false;
        }
    }

    void framingIsJudgedAlikeForFetchesAndDownloads() {
        QFETCH(QByteArray, ending);
        QFETCH(bool, streamed);
        QFETCH(bool, whole);
        const QByteArray body(200000, 'v');
        test::HostileServer server([&](QTcpSocket *s, const QByteArray &, int) {
            if (ending == "fin" || ending == "rst") {
                s->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n" +
                         body);
                s->flush();
                if (ending == "rst")
                    return test::HostileServer::reset(s);
            } else {
                s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + ending +
                         "\r\nhello\r\n0\r\n\r\n");
            }
            s->disconnectFromHost();
        });
        auto req = get(server.url(QStringLiteral("/file.bin")));
        async::ByteBudget unlimited(async::Clock::system(), 0);
        QByteArray streamedBytes;
        if (streamed) { // as the downloader asks
            req.bandwidth = &unlimited;
            req.holdReads = [] { return false; };
            req.onChunk = [&](const QByteArray &chunk) {
                streamedBytes += chunk;
                return true;
            };
        }
        const auto r = drive(m_client->send(req)).value();
        if (whole) {
            QVERIFY2(r.ok(), qPrintable(r.errorMessage));
            QCOMPARE(streamed ? streamedBytes : r.body, body);
        } else {
            QVERIFY2(r.error == HttpErrorKind::Network,
                     qPrintable(QStringLiteral("%1 (%2 bytes)")
                                    .arg(r.errorMessage)
                                    .arg(streamed ? streamedBytes.size() : r.body.size())));
            QVERIFY2(r.errorMessage.contains(ending == "rst" ? QStringLiteral("reset")
                                                             : QStringLiteral("bad chunk size")),
                     qPrintable(r.errorMessage));
        }
    }

    void aUrlWithUserInfoIsJudgedByTheSameParser_data() {
        QTest::addColumn<bool>("streamed");
        QTest::newRow("fetch") << false;
        QTest::newRow("download (streamed)") << true;
    }
    void aUrlWithUserInfoIsJudgedByTheSameParser() {
        // Such URLs went through Qt, which takes a reset for the end of a body without a length.
        QFETCH(bool, streamed);
        test::HostileServer server([](QTcpSocket *s, const QByteArray &, int) {
            s->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n" +
                     QByteArray(200000, 'v'));
            s->flush();
            test::HostileServer::reset(s);
        });
        QUrl url = server.url(QStringLiteral("/file.bin"));
        url.setUserInfo(QStringLiteral("alice:hunter2"));
        auto req = get(url);
        if (streamed)
            req.onChunk = [](const QByteArray &) { return true; };
        const auto r = drive(m_client->send(req)).value();
        QVERIFY2(r.error == HttpErrorKind::Network && r.errorMessage.contains(u"reset"),
                 qPrintable(r.errorMessage));
        QCOMPARE(server.heads().size(), 1);
        QVERIFY2(server.heads().first().contains("Authorization: Basic YWxpY2U6aHVudGVyMg=="),
                 server.heads().first().constData());
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
