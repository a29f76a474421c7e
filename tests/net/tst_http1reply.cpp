#include "net/http1connectionpool.h"
#include "net/http1reply.h"

#include <QNetworkRequest>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>

using namespace vigil::net;

namespace {
/// A real loopback server that answers each complete request head with what @p answer returns;
/// an answer of "CLOSE" closes the connection instead.
class ScriptedServer : public QObject {
public:
    using Answer = std::function<QByteArray(const QByteArray &head, int connection)>;

    explicit ScriptedServer(Answer answer)
        : m_answer(std::move(answer)) {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                const int id = ++connections;
                connect(s, &QTcpSocket::readyRead, this, [this, s, id] {
                    m_pending[s] += s->readAll();
                    qsizetype end;
                    while ((end = m_pending[s].indexOf("\r\n\r\n")) >= 0) {
                        const QByteArray head = m_pending[s].left(end + 4);
                        m_pending[s].remove(0, end + 4);
                        heads << head;
                        const QByteArray reply = m_answer(head, id);
                        if (reply == "CLOSE") {
                            s->disconnectFromHost();
                            return;
                        }
                        s->write(reply);
                    }
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    [[nodiscard]] QUrl url(const QString &path) const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }

    int connections = 0;
    QList<QByteArray> heads;

private:
    Answer m_answer;
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_pending;
};

QByteArray ok(const QByteArray &body) {
    return "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" +
           body;
}

struct Outcome {
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0;
    QByteArray body;
    QUrl url;
};

Outcome run(Http1ConnectionPool &pool, const QUrl &url,
            QList<QPair<QByteArray, QByteArray>> headers = {}) {
    QNetworkRequest request(url);
    for (const auto &[k, v] : headers)
        request.setRawHeader(k, v);
    auto *reply = new Http1Reply(pool, request, "GET", {});
    Outcome o;
    bool finished = false;
    QObject::connect(reply, &QNetworkReply::readyRead, reply, [&] { o.body += reply->readAll(); });
    QObject::connect(reply, &QNetworkReply::finished, reply, [&] { finished = true; });
    if (!QTest::qWaitFor([&] { return finished; }, 5000))
        qWarning("reply did not finish");
    o.body += reply->readAll();
    o.error = reply->error();
    o.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    o.url = reply->url();
    delete reply;
    return o;
}
} // namespace

class TestHttp1Reply : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keptAliveConnectionCarriesTheNextRequest() {
        ScriptedServer server([](const QByteArray &, int) { return ok("hello"); });
        Http1ConnectionPool pool;
        for (int i = 0; i < 5; ++i) {
            const auto o = run(pool, server.url(QStringLiteral("/x")));
            QCOMPARE(o.error, QNetworkReply::NoError);
            QCOMPARE(o.body, QByteArray("hello"));
        }
        QCOMPARE(server.connections, 1);
        QCOMPARE(pool.idleCount(), 1);
        QVERIFY(server.heads.first().startsWith("GET /x HTTP/1.1\r\nHost: 127.0.0.1:"));
    }

    void aConnectionTheServerClosedIsRetriedOnceOnAFreshOne() {
        // The first connection answers once, then closes when the next request arrives on it:
        // the race every keep-alive client meets when a server times an idle connection out.
        ScriptedServer server([](const QByteArray &, int connection) -> QByteArray {
            static QSet<int> answered;
            if (answered.contains(connection) && connection == 1)
                return "CLOSE";
            answered.insert(connection);
            return ok("fine");
        });
        Http1ConnectionPool pool;
        QCOMPARE(run(pool, server.url(QStringLiteral("/a"))).body, QByteArray("fine"));
        const auto second = run(pool, server.url(QStringLiteral("/b")));
        QCOMPARE(second.error, QNetworkReply::NoError);
        QCOMPARE(second.body, QByteArray("fine"));
        QCOMPARE(server.connections, 2);
    }

    void chunkedBodiesArriveWholeAndKeepTheConnection() {
        ScriptedServer server([](const QByteArray &head, int) -> QByteArray {
            if (head.startsWith("GET /chunked"))
                return "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                       "chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
            return ok("unused");
        });
        Http1ConnectionPool pool;
        const auto chunked = run(pool, server.url(QStringLiteral("/chunked")));
        QCOMPARE(chunked.body, QByteArray("abcde"));
        QCOMPARE(pool.idleCount(), 1); // chunked framing ends cleanly, so the connection is kept
    }

    void aRedirectIsHandedOnAsItIsAndKeepsTheConnection() {
        // HttpClient decides every redirect (redirects.h), so the reply never follows one itself.
        ScriptedServer server([](const QByteArray &head, int) -> QByteArray {
            if (head.startsWith("GET /start"))
                return "HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 3\r\n\r\nabc";
            return ok("unused");
        });
        Http1ConnectionPool pool;
        const auto o = run(pool, server.url(QStringLiteral("/start")));
        QCOMPARE(o.error, QNetworkReply::NoError);
        QCOMPARE(o.status, 302);
        QCOMPARE(o.body, QByteArray("abc"));
        QCOMPARE(o.url, server.url(QStringLiteral("/start")));
        QCOMPARE(server.heads.size(), 1);
        QCOMPARE(pool.idleCount(), 1);
    }

    void garbageFromTheServerIsAProtocolFailure() {
        ScriptedServer server(
            [](const QByteArray &, int) { return QByteArray("SSH-2.0-OpenSSH_9.2\r\n"); });
        Http1ConnectionPool pool;
        const auto o = run(pool, server.url(QStringLiteral("/")));
        QCOMPARE(o.error, QNetworkReply::ProtocolFailure);
        QCOMPARE(pool.idleCount(), 0);
    }

    void abortFinishesAtOnceAndClosesTheConnection() {
        ScriptedServer server(
            [](const QByteArray &, int) { return QByteArray(); }); // never answers
        Http1ConnectionPool pool;
        QNetworkRequest request(server.url(QStringLiteral("/hang")));
        auto *reply = new Http1Reply(pool, request, "GET", {});
        QTRY_COMPARE(server.heads.size(), 1);
        int finishedSignals = 0;
        QObject::connect(reply, &QNetworkReply::finished, reply, [&] { ++finishedSignals; });
        reply->abort();
        QCOMPARE(finishedSignals, 1);
        QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
        QVERIFY(!reply->isOpen());
        reply->abort();
        QCOMPARE(finishedSignals, 1);
        delete reply;
        QCOMPARE(pool.idleCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHttp1Reply)
#include "tst_http1reply.moc"
