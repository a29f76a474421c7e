// SPDX-License-Identifier: Apache-2.0
#include "net/http1parser.h"

#include <QTest>

using vigil::net::Http1ResponseParser;
using State = Http1ResponseParser::State;

namespace {
/// Feeds @p wire in pieces of @p step bytes; returns the bytes left over after the response.
QByteArray feedInSteps(Http1ResponseParser &p, const QByteArray &wire, qsizetype step,
                       QByteArray *body) {
    qsizetype at = 0;
    while (at < wire.size() && !p.done() && !p.failed()) {
        const QByteArrayView piece =
            QByteArrayView(wire).sliced(at, std::min(step, wire.size() - at));
        qsizetype used = 0;
        while (used < piece.size() && !p.done() && !p.failed()) {
            const qsizetype n = p.feed(piece.sliced(used));
            used += n;
            *body += p.takeBody();
            if (n == 0)
                break;
        }
        at += used;
        if (used < piece.size())
            break;
    }
    return wire.mid(at);
}
} // namespace

class TestHttp1Parser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void framings_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("keepAlive");
        QTest::addColumn<QByteArray>("leftover");

        QTest::newRow("content-length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                          "7\r\n\r\n{\"a\":1}")
            << 200 << QByteArray("{\"a\":1}") << true << QByteArray();
        QTest::newRow("the next response stays unread")
            << QByteArray(
                   "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 204 No Content\r\n\r\n")
            << 200 << QByteArray("hi") << true << QByteArray("HTTP/1.1 204 No Content\r\n\r\n");
        QTest::newRow("chunked with extension and trailer")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                          "chunked\r\n\r\n5;x=y\r\nhello\r\n1\r\n!\r\n0\r\nX-Sum: 1\r\n\r\n")
            << 200 << QByteArray("hello!") << true << QByteArray();
        QTest::newRow("interim 100 then the real answer")
            << QByteArray(
                   "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
            << 201 << QByteArray() << true << QByteArray();
        QTest::newRow("204 has no body whatever it says")
            << QByteArray("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n") << 204
            << QByteArray() << true << QByteArray();
        QTest::newRow("connection close")
            << QByteArray("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx")
            << 200 << QByteArray("x") << false << QByteArray();
        QTest::newRow("HTTP/1.0 closes unless asked")
            << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx") << 200 << QByteArray("x")
            << false << QByteArray();
        QTest::newRow("HTTP/1.0 keep-alive")
            << QByteArray("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx")
            << 200 << QByteArray("x") << true << QByteArray();
        QTest::newRow("bare LF line ends")
            << QByteArray("HTTP/1.1 404 Not Found\nContent-Length: 2\n\nno") << 404
            << QByteArray("no") << true << QByteArray();
    }

    void framings() {
        QFETCH(QByteArray, wire);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, keepAlive);
        QFETCH(QByteArray, leftover);
        // Whole, and one byte at a time: the result must not depend on how reads split the stream.
        for (const qsizetype step : {wire.size(), qsizetype(1), qsizetype(3)}) {
            Http1ResponseParser p;
            QByteArray got;
            const QByteArray rest = feedInSteps(p, wire, step, &got);
            QVERIFY2(p.done(), qPrintable(QStringLiteral("step %1: %2").arg(step).arg(p.error())));
            QCOMPARE(p.status(), status);
            QCOMPARE(got, body);
            QCOMPARE(p.keepAlive(), keepAlive);
            QCOMPARE(rest, leftover);
        }
    }

    void untilCloseBodyEndsWithTheStream() {
        Http1ResponseParser p;
        p.feed("HTTP/1.1 200 OK\r\n\r\nabc");
        QCOMPARE(p.state(), State::Body);
        p.feed("def");
        p.endOfStream();
        QVERIFY(p.done());
        QCOMPARE(p.takeBody(), QByteArray("abcdef"));
        QVERIFY(!p.keepAlive());
    }

    void untilCloseBodyIsCutByAReset() {
        Http1ResponseParser p;
        p.feed("HTTP/1.1 200 OK\r\n\r\nabc");
        p.endOfStream(Http1ResponseParser::Close::Reset);
        QVERIFY(p.failed());
        QVERIFY2(p.error().contains(QStringLiteral("reset the connection mid-response")),
                 qPrintable(p.error()));
    }

    void untilCloseBodyOverTlsNeedsCloseNotify() {
        Http1ResponseParser p;
        p.feed("HTTP/1.1 200 OK\r\n\r\nabc");
        p.endOfStream(Http1ResponseParser::Close::WithoutCloseNotify);
        QVERIFY(p.failed());
        QCOMPARE(p.error(), QStringLiteral("the server closed the TLS connection without "
                                           "close_notify, so the body may be cut short"));
        // A body that knows its end needs no alert: it is whole or it is not.
        Http1ResponseParser framed;
        framed.feed("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nab");
        framed.endOfStream(Http1ResponseParser::Close::WithoutCloseNotify);
        QCOMPARE(framed.error(), QStringLiteral("the server closed the connection mid-response"));
    }

    void aResponseFramedBothWaysIsNotKeptAlive() {
        Http1ResponseParser p;
        p.feed("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
               "3\r\nabc\r\n0\r\n\r\n");
        QVERIFY(p.done());
        QCOMPARE(p.takeBody(), QByteArray("abc")); // chunked wins (RFC 9112, 6.3)
        QVERIFY(!p.keepAlive());
    }

    void headResponseHasNoBody() {
        Http1ResponseParser p(true);
        p.feed("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
        QVERIFY(p.done());
        QCOMPARE(p.header("content-length"), QByteArray("100"));
    }

    void headersAreCaseInsensitiveAndKeepTheirOrder() {
        Http1ResponseParser p;
        p.feed("HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nETag:  \"x\" "
               "\r\nContent-Length: 0\r\n\r\n");
        QVERIFY(p.done());
        QCOMPARE(p.header("ETAG"), QByteArray("\"x\""));
        QCOMPARE(p.headers().size(), 4);
        QCOMPARE(p.headers()[1].second, QByteArray("b=2"));
    }

    void closedMidResponseFails_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QString>("error");
        QTest::newRow("nothing") << QByteArray() << QStringLiteral("without answering");
        QTest::newRow("in the headers")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-") << QStringLiteral("mid-response");
        QTest::newRow("short body") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc")
                                    << QStringLiteral("mid-response");
        QTest::newRow("unfinished chunks")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")
            << QStringLiteral("mid-response");
    }

    void closedMidResponseFails() {
        QFETCH(QByteArray, wire);
        QFETCH(QString, error);
        Http1ResponseParser p;
        p.feed(wire);
        p.endOfStream();
        QVERIFY(p.failed());
        QVERIFY2(p.error().contains(error), qPrintable(p.error()));
    }

    void badResponsesFailWithAReason_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QString>("error");
        QTest::newRow("not HTTP") << QByteArray("SSH-2.0-OpenSSH\r\n")
                                  << QStringLiteral("status line");
        QTest::newRow("HTTP/2 preface")
            << QByteArray("HTTP/2 200\r\n\r\n") << QStringLiteral("status line");
        QTest::newRow("status not a number")
            << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n") << QStringLiteral("status line");
        QTest::newRow("folded header") << QByteArray("HTTP/1.1 200 OK\r\nA: b\r\n  c\r\n\r\n")
                                       << QStringLiteral("header line");
        QTest::newRow("header without colon")
            << QByteArray("HTTP/1.1 200 OK\r\nnonsense\r\n\r\n") << QStringLiteral("header line");
        QTest::newRow("negative length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")
            << QStringLiteral("Content-Length");
        QTest::newRow("gzip framing")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")
            << QStringLiteral("Transfer-Encoding");
        QTest::newRow("bad chunk size")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
            << QStringLiteral("chunk size");
        QTest::newRow("chunk overrun")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc\r\n")
            << QStringLiteral("longer than its size");
        QTest::newRow("endless headers")
            << QByteArray("HTTP/1.1 200 OK\r\n") + QByteArray("X: y\r\n").repeated(20000)
            << QStringLiteral("larger than");
    }

    void badResponsesFailWithAReason() {
        QFETCH(QByteArray, wire);
        QFETCH(QString, error);
        Http1ResponseParser p;
        p.feed(wire);
        QVERIFY(p.failed());
        QVERIFY2(p.error().contains(error), qPrintable(p.error()));
    }

    void manySmallChunksAreNotMistakenForEndlessHeaders() {
        QByteArray wire("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 30000; ++i)
            wire += "1\r\nx\r\n";
        wire += "0\r\n\r\n";
        Http1ResponseParser p;
        p.feed(wire);
        QVERIFY2(p.done(), qPrintable(p.error()));
        QCOMPARE(p.takeBody().size(), 30000);
    }
};

QTEST_GUILESS_MAIN(TestHttp1Parser)
#include "tst_http1parser.moc"
