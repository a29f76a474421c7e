#include "asynctest.h"

#include "demo/demodata.h"
#include "demofixture.h"
#include "net/httpclient.h"

#include <QCryptographicHash>
#include <QTcpServer>
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
        QTimer::singleShot(100, this, [&] { source.request_stop(); });
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
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
