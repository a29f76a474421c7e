// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "demo/demodata.h"
#include "demo/demoserver.h"
#include "demo/hostoutage.h"
#include "demo/requestguard.h"
#include "net/byterange.h"
#include "net/httpclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace std::chrono_literals;
using namespace vigil;
using vigil::test::drive;

Q_DECLARE_METATYPE(std::optional<net::ByteRange>)

class TestDemoServer : public QObject {
    Q_OBJECT
    demo::DemoServer *m_server = nullptr;
    net::HttpClient *m_client = nullptr;

    net::HttpResponse fetch(const QString &path, net::RawHeaders headers = {}) {
        net::HttpRequest r;
        r.url = QUrl(m_server->baseUrl().toString() + path);
        r.headers = headers;
        r.timeout = 5s;
        return drive(m_client->send(r)).value();
    }

    /// What a raw client saw: the server's bytes, what it queued to send, whether the server
    /// closed, and how long that took.
    struct RawExchange {
        QByteArray response;
        qint64 sent = 0;
        bool closed = false;
        qint64 ms = 0;
    };

    /// Sends @p head, then @p fill bytes of 'a' a megabyte at a time as the socket drains, until
    /// the server closes or @p done(response) holds (10 s at most).
    RawExchange sendRaw(const QByteArray &head, qint64 fill,
                        const std::function<bool(const QByteArray &)> &done = {}) {
        RawExchange out;
        QElapsedTimer timer;
        timer.start();
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->port());
        QByteArray pending = head;
        const QByteArray block(1 << 20, 'a');
        qint64 left = fill;
        const auto pump = [&] {
            while (socket.state() == QAbstractSocket::ConnectedState &&
                   socket.bytesToWrite() < block.size() && (!pending.isEmpty() || left > 0)) {
                if (!pending.isEmpty()) {
                    out.sent += socket.write(std::exchange(pending, {}));
                    continue;
                }
                const qint64 n = std::min<qint64>(left, block.size());
                out.sent += socket.write(block.constData(), n);
                left -= n;
            }
        };
        connect(&socket, &QTcpSocket::connected, &socket, pump);
        connect(&socket, &QTcpSocket::bytesWritten, &socket, pump);
        connect(&socket, &QTcpSocket::readyRead, &socket,
                [&] { out.response += socket.readAll(); });
        const bool ended = QTest::qWaitFor(
            [&] {
                return socket.state() == QAbstractSocket::UnconnectedState ||
                       (done && done(out.response));
            },
            10000);
        Q_UNUSED(ended) // the caller checks what it expected
        out.response += socket.readAll();
        out.closed = socket.state() == QAbstractSocket::UnconnectedState;
        out.ms = timer.elapsed();
        return out;
    }

    /// The process's peak resident size since resetPeakRss(), in bytes.
    static qint64 peakRss() {
        QFile status(QStringLiteral("/proc/self/status"));
        if (!status.open(QIODevice::ReadOnly))
            return -1;
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmHWM:"))
                return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
        }
        return -1;
    }
    static void resetPeakRss() {
        QFile clear(QStringLiteral("/proc/self/clear_refs"));
        if (clear.open(QIODevice::WriteOnly))
            clear.write("5"); // Linux: resets VmHWM to the current size
    }

private Q_SLOTS:
    /// The byte stream is the same formula at every offset and length, run boundaries included.
    void demoBytesFollowTheirFormula() {
        const auto expected = [](quint64 p) {
            return char(quint8((p * 131u) ^ (p >> 8) ^ (p >> 16) * 7u ^ (p >> 24) * 13u));
        };
        const qint64 offsets[] = {0, 1, 255, 256, 257, 65535, 16777215, 268435456 - 3, 5000000001};
        for (const qint64 offset : offsets) {
            for (const qint64 len : {qint64(0), qint64(1), qint64(300), qint64(70000)}) {
                QByteArray out(len, '\0');
                demo::fillDemoBytes(out.data(), offset, len);
                for (qint64 i = 0; i < len; ++i) {
                    if (out[i] != expected(quint64(offset + i)))
                        QFAIL(qPrintable(QStringLiteral("byte %1").arg(offset + i)));
                }
            }
        }
    }

    void init() {
        m_server = new demo::DemoServer(3, this);
        QVERIFY(m_server->listen());
        m_client = new net::HttpClient(async::Clock::system(), this);
    }

    void cleanup() {
        delete m_client;
        delete m_server;
    }

    void bindsToLoopbackOnly() {
        QCOMPARE(m_server->baseUrl().host(), QStringLiteral("127.0.0.1"));
        QVERIFY(m_server->port() > 0);
    }

    void takenPortIsReportedNotFatal() {
        demo::DemoServer second;
        QVERIFY(!second.listen(m_server->port()));
        QVERIFY(second.errorString().contains(QString::number(m_server->port())));
    }

    void itemHonoursLatency() {
        QElapsedTimer t;
        t.start();
        const auto r = fetch(QStringLiteral("/item/x?ms=200"));
        QCOMPARE(r.status, 200);
        QVERIFY(t.elapsed() >= 195);
    }

    void statsReportHowLateTheLatencyTimersRan() {
        for (int i = 0; i < 5; ++i)
            QCOMPARE(fetch(QStringLiteral("/item/%1?ms=15").arg(i)).status, 200);
        const auto stats = QJsonDocument::fromJson(fetch(QStringLiteral("/stats")).body).object();
        QVERIFY2(stats.contains(QStringLiteral("late_us_p50")), stats.keys().join(u',').toUtf8());
        const double p50 = stats.value(QStringLiteral("late_us_p50")).toDouble(-1);
        const double p95 = stats.value(QStringLiteral("late_us_p95")).toDouble(-1);
        QVERIFY(p50 >= 0); // never early
        QVERIFY(p95 >= p50);
        m_server->resetStats();
        const auto cleared = QJsonDocument::fromJson(fetch(QStringLiteral("/stats")).body).object();
        QCOMPARE(cleared.value(QStringLiteral("late_us_p95")).toDouble(-1), 0.0);
    }

    void compoundsArePubChemShaped() {
        const auto r = fetch(QStringLiteral("/compound/Caffeine?ms=0"));
        QCOMPARE(r.status, 200);
        const auto props = QJsonDocument::fromJson(r.body)
                               .object()[QStringLiteral("PropertyTable")]
                               .toObject()[QStringLiteral("Properties")]
                               .toArray()
                               .first()
                               .toObject();
        QCOMPARE(props[QStringLiteral("MolecularFormula")].toString(), QStringLiteral("C8H10N4O2"));
        QCOMPARE(props[QStringLiteral("MolecularWeight")].toString(), QStringLiteral("194.19"));
        QVERIFY(demo::compoundNames().size() >= 20);
        QCOMPARE(fetch(QStringLiteral("/compound/kryptonite?ms=0")).status, 404);
    }

    void rangeRequestsResumeTheSameBytes() {
        const auto whole = fetch(QStringLiteral("/bytes/100000"));
        const auto tail = fetch(QStringLiteral("/bytes/100000"), {{"Range", "bytes=60000-"}});
        QCOMPARE(whole.status, 200);
        QCOMPARE(whole.header("Accept-Ranges"), QByteArray("bytes"));
        QCOMPARE(tail.status, 206);
        QCOMPARE(tail.header("Content-Range"), QByteArray("bytes 60000-99999/100000"));
        QCOMPARE(tail.body, whole.body.mid(60000));
    }

    void rangeBeyondTheEndIs416() {
        const auto r = fetch(QStringLiteral("/bytes/100"), {{"Range", "bytes=500-"}});
        QCOMPARE(r.status, 416);
        QCOMPARE(r.header("Content-Range"), QByteArray("bytes */100"));
    }

    void norangeServerIgnoresRange() {
        const auto r = fetch(QStringLiteral("/bytes/1000?norange=1"), {{"Range", "bytes=500-"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.size(), 1000);
        QVERIFY(r.header("Accept-Ranges").isEmpty());
    }

    void staleIfRangeGetsTheWholeBody() {
        const auto r = fetch(QStringLiteral("/bytes/1000?etag=v2"),
                             {{"Range", "bytes=500-"}, {"If-Range", "\"vigil-demo-bytes-v1\""}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("ETag"), QByteArray("\"v2\""));
    }

    void limitedAnswers429BeyondTheRate() {
        int ok = 0, limited = 0;
        for (int i = 0; i < 5; ++i) {
            const auto r = fetch(QStringLiteral("/limited/%1?rps=3").arg(i));
            (r.status == 200 ? ok : limited)++;
            if (r.status == 429)
                QVERIFY(!r.header("Retry-After").isEmpty());
        }
        QCOMPARE(ok, 3);
        QCOMPARE(limited, 2);
    }

    // serve-demo --hosts: one server on 127.0.1.1 …, and /hosts takes every K-th host down.
    void manyHostsEachHaveTheirOwnOutage() {
        QVERIFY(m_server->listenOnHosts(3));
        QCOMPARE(m_server->hostCount(), 3);
        const auto onHost = [this](int host) {
            net::HttpRequest r;
            r.url = QUrl(QStringLiteral("http://%1:%2/hosts/x?down=0-30&every=2")
                             .arg(demo::demoHostAddress(host))
                             .arg(m_server->port()));
            r.timeout = 5s;
            return drive(m_client->send(r)).value();
        };
        const auto one = onHost(1);
        QCOMPARE(one.status, 200);
        QCOMPARE(QJsonDocument::fromJson(one.body).object().value(u"host").toInt(), 1);
        const auto two = onHost(2);
        QCOMPARE(two.status, 429);
        QCOMPARE(two.header("Retry-After"), QByteArray("30"));
        QCOMPARE(onHost(3).status, 200);
        const auto stats = QJsonDocument::fromJson(fetch(QStringLiteral("/stats")).body).object();
        QCOMPARE(stats.value(u"hosts").toInt(), 3);
        QCOMPARE(stats.value(u"hosts_refused").toInt(), 1);
        QCOMPARE(onHost(2).status, 429); // at once: within the grace, not early
        QCOMPARE(QJsonDocument::fromJson(fetch(QStringLiteral("/stats")).body)
                     .object()
                     .value(u"hosts_early")
                     .toInt(),
                 0);
    }

    void flakyFailsWithTheGivenProbability() {
        QCOMPARE(fetch(QStringLiteral("/flaky/a?p=0")).status, 200);
        const int status = fetch(QStringLiteral("/flaky/a?p=1")).status;
        QVERIFY(status == 500 || status == 503);
    }

    void sensorsServeLiveValues() {
        const auto r = fetch(QStringLiteral("/sensors/Reactor_Temp"));
        const auto o = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(o[QStringLiteral("unit")].toString(), QStringLiteral("°C"));
        QVERIFY(std::abs(o[QStringLiteral("value")].toDouble() - 150) < 30);
        QCOMPARE(fetch(QStringLiteral("/sensors/Nope")).status, 404);
        QCOMPARE(QJsonDocument::fromJson(fetch(QStringLiteral("/sensors")).body)
                     .object()[QStringLiteral("sensors")]
                     .toArray()
                     .size(),
                 4);
    }

    void kineticsConstantsAreStablePerId() {
        const auto a = fetch(QStringLiteral("/kinetics/r7?ms=0"));
        const double k = QJsonDocument::fromJson(a.body).object()[QStringLiteral("k")].toDouble();
        QCOMPARE(k, demo::rateConstantFor(QStringLiteral("r7")));
        QVERIFY(k >= 0.05 && k <= 0.5);
    }

    void rangeHeaderParsing_data() {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<std::optional<net::ByteRange>>("expected");
        QTest::newRow("open-ended")
            << QByteArray("bytes=10-") << std::optional(net::ByteRange{10, 99});
        QTest::newRow("closed") << QByteArray("bytes=10-19")
                                << std::optional(net::ByteRange{10, 19});
        QTest::newRow("suffix") << QByteArray("bytes=-5") << std::optional(net::ByteRange{95, 99});
        QTest::newRow("end clamped")
            << QByteArray("bytes=90-500") << std::optional(net::ByteRange{90, 99});
        QTest::newRow("start past end")
            << QByteArray("bytes=100-") << std::optional<net::ByteRange>();
        QTest::newRow("multi-range")
            << QByteArray("bytes=0-1,5-6") << std::optional<net::ByteRange>();
        QTest::newRow("reversed") << QByteArray("bytes=9-3") << std::optional<net::ByteRange>();
        QTest::newRow("not bytes") << QByteArray("items=0-1") << std::optional<net::ByteRange>();
        QTest::newRow("garbage") << QByteArray("bytes=abc") << std::optional<net::ByteRange>();
    }

    void rangeHeaderParsing() {
        QFETCH(QByteArray, header);
        QFETCH(std::optional<net::ByteRange>, expected);
        QCOMPARE(net::parseRangeHeader(header, 100), expected);
    }

    void oversizedRequestsAreRefusedAndClosed_data() {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<qint64>("fill");
        QTest::addColumn<QByteArray>("status");
        QByteArray manyHeaders = "GET /item/1 HTTP/1.1\r\nHost: x\r\n";
        for (int i = 0; i < 200; ++i)
            manyHeaders += "X-H" + QByteArray::number(i) + ": v\r\n";
        QByteArray chunked =
            "POST /item/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 20; ++i)
            chunked += "10000\r\n" + QByteArray(0x10000, 'c') + "\r\n";
        const qint64 mb = 1024 * 1024;
        QTest::newRow("1 MB request line") << QByteArray("GET /item/") << mb << QByteArray("431");
        QTest::newRow("100 MB request line")
            << QByteArray("GET /") << 100 * mb << QByteArray("431");
        QTest::newRow("1 MB header")
            << QByteArray("GET /item/1 HTTP/1.1\r\nX-Big: ") << mb << QByteArray("431");
        QTest::newRow("200 headers") << manyHeaders + "\r\n" << qint64(0) << QByteArray("431");
        QTest::newRow("64 MB body")
            << QByteArray("POST /item/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 67108864\r\n\r\n")
            << 64 * mb << QByteArray("413");
        QTest::newRow("1.25 MB chunked body") << chunked << qint64(0) << QByteArray("413");
    }

    void oversizedRequestsAreRefusedAndClosed() {
        QFETCH(QByteArray, head);
        QFETCH(qint64, fill);
        QFETCH(QByteArray, status);
        resetPeakRss();
        const qint64 before = peakRss();
        const RawExchange r = sendRaw(head, fill);
        QVERIFY2(r.response.startsWith(QByteArray(QByteArray("HTTP/1.1 ") + status)),
                 r.response.left(200).constData());
        QVERIFY(r.response.contains("Connection: close"));
        QVERIFY(r.closed);
        // Refused early: not read to the end, in bounded memory and time.
        QVERIFY2(r.sent < 24 * 1024 * 1024 || fill < 24 * 1024 * 1024,
                 QByteArray::number(r.sent).constData());
        QVERIFY2(r.ms < 5000, QByteArray::number(r.ms).constData());
        QVERIFY2(peakRss() - before < 48 * 1024 * 1024,
                 QByteArray::number(peakRss() - before).constData());
        QCOMPARE(fetch(QStringLiteral("/item/after?ms=0")).status, 200); // the server goes on
    }

    void requestsWithinTheLimitsStillWork() {
        // Pipelined, with a 6 KB header, then a POST body of 512 KB, on one connection.
        const QByteArray get =
            "GET /item/a?ms=0 HTTP/1.1\r\nHost: x\r\nX-Pad: " + QByteArray(6000, 'p') +
            "\r\n\r\nGET /item/b?ms=0 HTTP/1.1\r\nHost: x\r\n\r\n";
        const QByteArray post =
            "POST /item/c?ms=0 HTTP/1.1\r\nHost: x\r\nContent-Length: 524288\r\n\r\n" +
            QByteArray(524288, 'b');
        const RawExchange r = sendRaw(get + post, 0, [](const QByteArray &response) {
            return response.count("HTTP/1.1 200") == 3;
        });
        QCOMPARE(r.response.count("HTTP/1.1 200"), 3);
        QVERIFY(!r.closed);
    }

    void framingFollowsRequestsAcrossPieces() {
        demo::RequestFraming framing(
            {.maxLineBytes = 64, .maxHeadBytes = 256, .maxHeaders = 4, .maxBodyBytes = 10});
        using V = demo::RequestFraming::Verdict;
        const QByteArray ok = "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789"
                              "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n"
                              "0\r\n\r\n";
        for (const char c : ok) // one byte at a time: any split must give the same answer
            QCOMPARE(framing.feed(QByteArrayView(&c, 1)), V::Ok);
        QCOMPARE(framing.feed("GET / HTTP/1.1\r\nContent-Length: 11\r\n\r\n"), V::BodyTooLarge);
        demo::RequestFraming bad;
        QCOMPARE(bad.feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
                 V::Malformed);
    }

    void contentRangeParsing() {
        QCOMPARE(net::parseContentRange("bytes 0-9/100"),
                 std::optional(net::ContentRange{{0, 9}, 100}));
        QCOMPARE(net::parseContentRange("bytes 5-9/*"),
                 std::optional(net::ContentRange{{5, 9}, -1}));
        QVERIFY(!net::parseContentRange("bytes 5-200/100"));
        QVERIFY(!net::parseContentRange("bytes */100"));
    }
};

QTEST_GUILESS_MAIN(TestDemoServer)
#include "tst_demoserver.moc"
