// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"
#include "hostileserver.h"
#include "net/httpclient.h"
#include "net/redirects.h"

#include <QTest>
#include <QTimer>

using namespace std::chrono_literals;
using namespace vigil;
using net::HttpErrorKind;
using net::HttpRequest;
using net::HttpResponse;
using test::HostileServer;
using vigil::test::drive;

namespace {
/// How a request travels: Vigil's lean HTTP/1.1 path with the body kept (fetches) or streamed
/// (downloads), or Qt's network stack (setQtNetworkOnly, for comparisons).
enum class Transport { Lean, Qt, Streaming };

QByteArray redirectTo(const QByteArray &location, int status = 302) {
    return "HTTP/1.1 " + QByteArray::number(status) + " Elsewhere\r\nLocation: " + location +
           "\r\nContent-Length: 9\r\n\r\nredirect!";
}

QByteArray ok(const QByteArray &body) {
    return "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" +
           body;
}

bool hasHeader(const QByteArray &head, const QByteArray &name) {
    return head.toLower().contains(QByteArray("\r\n" + name.toLower() + ":"));
}

const QList<QByteArray> kSecrets = {"Authorization", "Cookie", "X-Api-Key", "Proxy-Authorization",
                                    "X-Marked"};

HttpRequest withCredentials(const QUrl &url) {
    HttpRequest r;
    r.url = url;
    r.timeout = 5000ms;
    r.headers = {{"Authorization", "Bearer a1"},
                 {"Cookie", "session=c2"},
                 {"X-Api-Key", "k3"},
                 {"Proxy-Authorization", "Basic p4"},
                 {"X-Marked", "user-marked m5"},
                 {"X-Trace", "not a secret"}};
    r.secretHeaders = {"x-marked"};
    return r;
}

/// What a streaming receiver was shown.
struct Received {
    QList<int> statuses;
    QByteArray body;
};

HttpResponse send(net::HttpClient &client, HttpRequest request, Transport transport,
                  Received *received = nullptr) {
    client.setQtNetworkOnly(transport == Transport::Qt);
    if (transport == Transport::Streaming) {
        Q_ASSERT(received);
        request.onHeaders = [received](int status, const net::RawHeaders &) {
            received->statuses << status;
            return true;
        };
        request.onChunk = [received](const QByteArray &chunk) {
            received->body += chunk;
            return true;
        };
    }
    return drive(client.send(request)).value();
}

quint16 closedPort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort(); // closed again when probe goes out of scope
}

/// Answers /start with a redirect to @p location and anything else with "landed".
HostileServer::Script redirectingTo(const QByteArray &location, int status = 302) {
    return [location, status](QTcpSocket *s, const QByteArray &head, int) {
        s->write(head.contains(" /start ") ? redirectTo(location, status) : ok("landed"));
    };
}
} // namespace

class TestRedirects : public QObject {
    Q_OBJECT
    net::HttpClient *m_client = nullptr;

    void checkCredentials(const QByteArray &head, bool crossOrigin) {
        for (const QByteArray &name : kSecrets) {
            const QByteArray why =
                name + (crossOrigin ? " crossed to another origin: " : " was lost: ") + head;
            QVERIFY2(hasHeader(head, name) != crossOrigin, why.constData());
        }
        QVERIFY2(hasHeader(head, "X-Trace"), head.constData()); // only secrets are dropped
    }

private Q_SLOTS:
    void init() { m_client = new net::HttpClient(async::Clock::system(), this); }

    void cleanup() {
        delete m_client;
        m_client = nullptr;
    }

    void nextHopFollowsTheRules_data() {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("location");
        QTest::addColumn<QString>("to"); // or, for a refused redirect, the start of the reason
        QTest::addColumn<QByteArray>("nextMethod");
        QTest::addColumn<bool>("credentialsKept");
        const QString a = QStringLiteral("http://a.test/x/y?q=1");
        QTest::newRow("a relative path")
            << a << QByteArray("GET") << 302 << QByteArray("../z?k=2")
            << QStringLiteral("http://a.test/z?k=2") << QByteArray("GET") << true;
        QTest::newRow("the default port named")
            << a << QByteArray("GET") << 301 << QByteArray("http://a.test:80/b")
            << QStringLiteral("http://a.test:80/b") << QByteArray("GET") << true;
        QTest::newRow("another port")
            << a << QByteArray("GET") << 302 << QByteArray("http://a.test:8080/")
            << QStringLiteral("http://a.test:8080/") << QByteArray("GET") << false;
        QTest::newRow("the same host over https")
            << a << QByteArray("GET") << 302 << QByteArray("https://a.test/")
            << QStringLiteral("https://a.test/") << QByteArray("GET") << false;
        QTest::newRow("scheme-relative to another host")
            << a << QByteArray("GET") << 307 << QByteArray("//b.test/p")
            << QStringLiteral("http://b.test/p") << QByteArray("GET") << false;
        QTest::newRow("user-info stays on its origin")
            << QStringLiteral("http://u:p@a.test/x") << QByteArray("GET") << 302 << QByteArray("/y")
            << QStringLiteral("http://u:p@a.test/y") << QByteArray("GET") << true;
        QTest::newRow("user-info never leaves it")
            << QStringLiteral("http://u:p@a.test/x") << QByteArray("GET") << 302
            << QByteArray("http://b.test/y") << QStringLiteral("http://b.test/y")
            << QByteArray("GET") << false;
        QTest::newRow("HEAD stays HEAD on 303")
            << a << QByteArray("HEAD") << 303 << QByteArray("/h")
            << QStringLiteral("http://a.test/h") << QByteArray("HEAD") << true;
        QTest::newRow("308 keeps the POST")
            << a << QByteArray("POST") << 308 << QByteArray("/p")
            << QStringLiteral("http://a.test/p") << QByteArray("POST") << true;
        QTest::newRow("301 after a POST is a GET")
            << a << QByteArray("POST") << 301 << QByteArray("/g")
            << QStringLiteral("http://a.test/g") << QByteArray("GET") << true;
        QTest::newRow("no host") << a << QByteArray("GET") << 302 << QByteArray("http:///p")
                                 << QStringLiteral(
                                        "refused a redirect to a URL without a host: http:///p")
                                 << QByteArray() << false;
        QTest::newRow("a refused URL's query is not shown")
            << a << QByteArray("GET") << 302 << QByteArray("ftp://b.test/x?api_key=SECRET")
            << QStringLiteral("refused a redirect to ftp://b.test/x (only http and https are "
                              "followed)")
            << QByteArray() << false;
        QTest::newRow("control characters are not shown")
            << a << QByteArray("GET") << 302 << QByteArray("gopher://\x1b]0;pwned\x07/")
            << QStringLiteral("refused a redirect to an invalid URL: gopher://") << QByteArray()
            << false;
    }

    void nextHopFollowsTheRules() {
        QFETCH(QString, from);
        QFETCH(QByteArray, method);
        QFETCH(int, status);
        QFETCH(QByteArray, location);
        QFETCH(QString, to);
        QFETCH(QByteArray, nextMethod);
        QFETCH(bool, credentialsKept);
        HttpRequest current = withCredentials(QUrl(from));
        current.method = method;
        current.body = "payload";
        current.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("text/plain")));
        const auto step = net::nextHop(current, status, location, 0);
        if (nextMethod.isEmpty()) {
            QVERIFY2(step.refusal.startsWith(to), qPrintable(step.refusal));
            for (const QChar c : step.refusal)
                QVERIFY(c.unicode() >= 0x20);
            return;
        }
        QVERIFY2(step.refusal.isEmpty(), qPrintable(step.refusal));
        QCOMPARE(step.next.url, QUrl(to));
        QCOMPARE(step.next.method, nextMethod);
        QCOMPARE(step.next.body.isEmpty(), nextMethod != method);
        QCOMPARE(step.crossOrigin, !credentialsKept);
        for (const QByteArray &name : kSecrets)
            QCOMPARE(!net::headerValue(step.next.headers, name).isEmpty(), credentialsKept);
        QVERIFY(!net::headerValue(step.next.headers, "X-Trace").isEmpty());
    }

    void credentialsStayWithTheirOrigin_data() {
        QTest::addColumn<int>("transport");
        QTest::addColumn<bool>("crossOrigin");
        for (const bool cross : {true, false}) {
            const char *what = cross ? "another origin" : "same origin";
            QTest::addRow("%s, lean http", what) << int(Transport::Lean) << cross;
            QTest::addRow("%s, Qt network", what) << int(Transport::Qt) << cross;
            QTest::addRow("%s, Qt streaming", what) << int(Transport::Streaming) << cross;
        }
    }

    void credentialsStayWithTheirOrigin() {
        QFETCH(int, transport);
        QFETCH(bool, crossOrigin);
        HostileServer target(redirectingTo("unused"));
        const QByteArray location =
            crossOrigin ? target.url(QStringLiteral("/end")).toEncoded() : QByteArray("/end");
        HostileServer origin(redirectingTo(location));
        Received received;
        const auto r = send(*m_client, withCredentials(origin.url(QStringLiteral("/start"))),
                            Transport(transport), &received);
        QVERIFY2(r.ok(), qPrintable(r.errorMessage));
        QCOMPARE(r.status, 200);
        HostileServer &landed = crossOrigin ? target : origin;
        QCOMPARE(r.finalUrl, landed.url(QStringLiteral("/end")));
        QCOMPARE(landed.heads().size(), crossOrigin ? 1 : 2);
        checkCredentials(landed.heads().last(), crossOrigin);
        if (Transport(transport) == Transport::Streaming) {
            // The receiver sees the final answer only, never the redirect's status or body.
            QCOMPARE(received.statuses, QList<int>{200});
            QCOMPARE(received.body, QByteArray("landed"));
        } else {
            QCOMPARE(r.body, QByteArray("landed"));
        }
    }

    void httpsCredentialsStayWithTheirOrigin_data() {
        QTest::addColumn<int>("transport");
        QTest::addColumn<bool>("crossOrigin");
        for (const bool cross : {true, false}) {
            const char *what = cross ? "another origin" : "same origin";
            QTest::addRow("%s, lean", what) << int(Transport::Lean) << cross;
            QTest::addRow("%s, Qt network", what) << int(Transport::Qt) << cross;
            QTest::addRow("%s, streaming", what) << int(Transport::Streaming) << cross;
        }
    }

    void httpsCredentialsStayWithTheirOrigin() {
        QFETCH(int, transport);
        QFETCH(bool, crossOrigin);
        m_client->setTlsConfiguration(test::trustingLoopback());
        HostileServer target(redirectingTo("unused"), HostileServer::Transport::Tls);
        const QByteArray location =
            crossOrigin ? target.url(QStringLiteral("/end")).toEncoded() : QByteArray("/end");
        HostileServer origin(redirectingTo(location), HostileServer::Transport::Tls);
        Received received;
        const auto r = send(*m_client, withCredentials(origin.url(QStringLiteral("/start"))),
                            Transport(transport), &received);
        QVERIFY2(r.ok(), qPrintable(r.errorMessage));
        QCOMPARE(r.status, 200);
        HostileServer &landed = crossOrigin ? target : origin;
        QCOMPARE(landed.heads().size(), crossOrigin ? 1 : 2);
        checkCredentials(landed.heads().last(), crossOrigin);
    }

    void urlUserInfoStaysWithItsOrigin() {
        HostileServer target(redirectingTo("unused"));
        HostileServer origin(redirectingTo(target.url(QStringLiteral("/end")).toEncoded()));
        QUrl start = origin.url(QStringLiteral("/start"));
        start.setUserInfo(QStringLiteral("alice:hunter2"));
        const auto r = send(*m_client, withCredentials(start), Transport::Qt);
        QVERIFY2(r.ok(), qPrintable(r.errorMessage));
        QCOMPARE(target.heads().size(), 1);
        QVERIFY2(!hasHeader(target.heads().first(), "Authorization"),
                 target.heads().first().constData());
        QVERIFY(r.finalUrl.userInfo().isEmpty());
    }

    void aRefusedRedirectSaysWhy_data() {
        QTest::addColumn<int>("transport");
        QTest::addColumn<QByteArray>("location");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("message");
        const auto rows = [](int transport, const char *name) {
            const auto row = [&](const char *what) -> QTestData & {
                return QTest::addRow("%s, %s", what, name) << transport;
            };
            row("file") << QByteArray("file:///etc/passwd") << int(HttpErrorKind::RedirectLoop)
                        << QStringLiteral("refused a redirect to file:///etc/passwd (only http "
                                          "and https are followed)");
            row("ftp") << QByteArray("ftp://127.0.0.1/x") << int(HttpErrorKind::RedirectLoop)
                       << QStringLiteral("refused a redirect to ftp://127.0.0.1/x (only http "
                                         "and https are followed)");
            row("data") << QByteArray("data:text/plain,hi") << int(HttpErrorKind::RedirectLoop)
                        << QStringLiteral("refused a redirect to data:text/plain,hi (only http "
                                          "and https are followed)");
            row("closed port") << QByteArray("http://127.0.0.1:CLOSED/end")
                               << int(HttpErrorKind::ConnectionRefused)
                               << QStringLiteral("connection refused by 127.0.0.1:CLOSED "
                                                 "(redirected from http://127.0.0.1:ORIGIN)");
            row("loop") << QByteArray("/start") << int(HttpErrorKind::RedirectLoop)
                        << QStringLiteral("too many redirects (more than 5)");
        };
        rows(int(Transport::Lean), "lean http");
        rows(int(Transport::Qt), "Qt network");
    }

    void aRefusedRedirectSaysWhy() {
        QFETCH(int, transport);
        QFETCH(QByteArray, location);
        QFETCH(int, kind);
        QFETCH(QString, message);
        const QByteArray closed = QByteArray::number(closedPort());
        HostileServer origin(redirectingTo(location.replace("CLOSED", closed)));
        message.replace(QStringLiteral("CLOSED"), QString::fromLatin1(closed))
            .replace(QStringLiteral("ORIGIN"), QString::number(origin.port()));
        const auto r = send(*m_client, withCredentials(origin.url(QStringLiteral("/start"))),
                            Transport(transport));
        QCOMPARE(r.errorMessage, message);
        QCOMPARE(int(r.error), kind);
        if (location == "/start")
            QCOMPARE(origin.heads().size(), 6); // the first request and five redirects
    }

    void httpsToHttpIsRefusedAndSaysWhy_data() {
        QTest::addColumn<int>("transport");
        QTest::newRow("lean") << int(Transport::Lean);
        QTest::newRow("Qt network") << int(Transport::Qt);
    }

    void httpsToHttpIsRefusedAndSaysWhy() {
        QFETCH(int, transport);
        m_client->setTlsConfiguration(test::trustingLoopback());
        HostileServer plain(redirectingTo("unused"));
        HostileServer origin(redirectingTo(plain.url(QStringLiteral("/end")).toEncoded()),
                             HostileServer::Transport::Tls);
        const auto r = send(*m_client, withCredentials(origin.url(QStringLiteral("/start"))),
                            Transport(transport));
        QCOMPARE(r.error, HttpErrorKind::RedirectLoop);
        QCOMPARE(r.errorMessage,
                 QStringLiteral("refused a redirect from https to http (%1 is not encrypted)")
                     .arg(net::originKey(plain.url())));
        QCOMPARE(plain.heads().size(), 0);
    }

    void methodFollowsTheRedirectStatus_data() {
        QTest::addColumn<int>("transport");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("method");
        for (const auto &[transport, name] :
             {std::pair{Transport::Lean, "lean http"}, std::pair{Transport::Qt, "Qt network"}}) {
            QTest::addRow("303 turns a POST into a GET, %s", name)
                << int(transport) << 303 << QByteArray("GET");
            QTest::addRow("302 turns a POST into a GET, %s", name)
                << int(transport) << 302 << QByteArray("GET");
            QTest::addRow("307 keeps the POST and its body, %s", name)
                << int(transport) << 307 << QByteArray("POST");
        }
    }

    void methodFollowsTheRedirectStatus() {
        QFETCH(int, transport);
        QFETCH(int, status);
        QFETCH(QByteArray, method);
        HostileServer server(redirectingTo("/end", status));
        HttpRequest request = withCredentials(server.url(QStringLiteral("/start")));
        request.method = "POST";
        request.body = "payload";
        const auto r = send(*m_client, request, Transport(transport));
        QVERIFY2(r.ok(), qPrintable(r.errorMessage));
        QCOMPARE(server.heads().size(), 2);
        // The server does not read bodies, so the first request's body leads the second head.
        const QByteArray &second = server.heads().last();
        QVERIFY2(second.contains(QByteArray(method + " /end HTTP/1.1\r\n")), second.constData());
        QCOMPARE(hasHeader(second, "Content-Length") && second.contains(": 7\r\n"),
                 method == "POST");
    }

    void theTotalDeadlineSpansEveryHop_data() {
        QTest::addColumn<int>("transport");
        QTest::newRow("lean http") << int(Transport::Lean);
        QTest::newRow("Qt network") << int(Transport::Qt);
    }

    void theTotalDeadlineSpansEveryHop() {
        QFETCH(int, transport);
        // Each hop answers in 250 ms, within the 400 ms deadline; both together do not.
        HostileServer server([](QTcpSocket *s, const QByteArray &head, int) {
            const QByteArray answer = head.contains(" /start ") ? redirectTo("/end") : ok("late");
            QTimer::singleShot(250ms, s, [s, answer] { s->write(answer); });
        });
        HttpRequest request = withCredentials(server.url(QStringLiteral("/start")));
        request.timeout = 400ms;
        const auto r = send(*m_client, request, Transport(transport));
        QCOMPARE(r.error, HttpErrorKind::Timeout);
        QCOMPARE(r.errorMessage, QStringLiteral("no complete response within 400 ms"));
    }

    void eachHopHasItsOwnConnectTimeout_data() { theTotalDeadlineSpansEveryHop_data(); }

    void eachHopHasItsOwnConnectTimeout() {
        QFETCH(int, transport);
        // The first answer comes after the connect timeout; its request was sent long before, and
        // the next hop's request leaves at once, so neither hop is late to connect.
        HostileServer server([](QTcpSocket *s, const QByteArray &head, int) {
            if (head.contains(" /start "))
                QTimer::singleShot(1500ms, s, [s] { s->write(redirectTo("/end")); });
            else
                s->write(ok("in time"));
        });
        HttpRequest request = withCredentials(server.url(QStringLiteral("/start")));
        request.connectTimeout = 1000ms;
        const auto r = send(*m_client, request, Transport(transport));
        QVERIFY2(r.ok(), qPrintable(r.errorMessage));
        QCOMPARE(r.body, QByteArray("in time"));
    }
};

QTEST_GUILESS_MAIN(TestRedirects)
#include "tst_redirects.moc"
