// SPDX-License-Identifier: Apache-2.0
#include "demo/demoserver.h"
#include "demo/hostoutage.h"
#include "demo/quota.h"
#include "net/ratelimitheaders.h"

#include <QTcpSocket>
#include <QTest>

using namespace std::chrono_literals;
using namespace vigil;

namespace {
/// One GET of @p path from @p from (a loopback address of its own: another client to /quota).
QByteArray rawGet(quint16 port, const QString &path, const QHostAddress &from) {
    QTcpSocket socket;
    if (!socket.bind(from))
        return {};
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET " + path.toUtf8() + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QByteArray response;
    // Until the whole body is in: Qt's server keeps the connection open whatever it is asked.
    const bool complete = QTest::qWaitFor(
        [&] {
            response += socket.readAll();
            const qsizetype end = response.indexOf("\r\n\r\n");
            if (end < 0)
                return false;
            const qsizetype at = response.toLower().indexOf("content-length:");
            const qsizetype length =
                at < 0 ? 0
                       : response.mid(at + 15, response.indexOf('\r', at) - at - 15)
                             .trimmed()
                             .toLongLong();
            return response.size() >= end + 4 + length;
        },
        5000);
    Q_UNUSED(complete) // the caller checks the status line
    return response + socket.readAll();
}

net::RawHeaders headersOf(const QByteArray &response) {
    net::RawHeaders out;
    const auto lines = response.left(response.indexOf("\r\n\r\n")).split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            out.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    return out;
}
} // namespace

/// The demo server's /quota: a per-client limit over a sliding second, announced on request.
class TestQuota : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void slidingSecondPerClient() {
        demo::ClientQuota q;
        QVERIFY(q.admit(QStringLiteral("a"), 2, 0).allowed);
        const auto second = q.admit(QStringLiteral("a"), 2, 400);
        QVERIFY(second.allowed);
        QCOMPARE(second.remaining, 0);
        QCOMPARE(second.resetMs, qint64(600)); // the first leaves the window at 1,000 ms
        const auto third = q.admit(QStringLiteral("a"), 2, 999);
        QVERIFY(!third.allowed);
        QCOMPARE(third.resetMs, qint64(1));
        QVERIFY(q.admit(QStringLiteral("b"), 2, 999).allowed);  // another client, its own quota
        QVERIFY(q.admit(QStringLiteral("a"), 2, 1000).allowed); // refusals did not count
    }

    void headersInEachStyle() {
        const demo::QuotaDecision refused{false, 10, 1, 0, 250};
        const QDateTime now = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
        for (const auto style : {demo::QuotaAnnounce::Draft, demo::QuotaAnnounce::Combined,
                                 demo::QuotaAnnounce::GitHub}) {
            net::RawHeaders raw;
            for (const auto &[k, v] : demo::quotaHeaders(refused, style, now))
                raw.append({k, v});
            QCOMPARE(net::headerValue(raw, "Retry-After"), QByteArray("1"));
            const auto a = net::parseAnnouncedLimit(raw, now);
            QCOMPARE(a.quota, 10.0);
            QCOMPARE(a.remaining, 0.0);
            QCOMPARE(a.reset, std::optional<async::Clock::Duration>(1s));
        }
        QCOMPARE(demo::quotaHeaders(refused, demo::QuotaAnnounce::None, now).size(), 1u);
    }

    void routeRefusesPerClientAddress() {
        demo::DemoServer server;
        QVERIFY(server.listen());
        const QHostAddress one(QStringLiteral("127.0.0.1"));
        const QHostAddress two(QStringLiteral("127.0.0.2"));
        // Two a minute: the third is refused however slow this machine is.
        const QString path = QStringLiteral("/quota/x?rps=2&window=60&announce=1");
        QVERIFY(rawGet(server.port(), path, one).startsWith("HTTP/1.1 200"));
        QVERIFY(rawGet(server.port(), path, one).startsWith("HTTP/1.1 200"));
        const QByteArray refused = rawGet(server.port(), path, one);
        QVERIFY2(refused.startsWith("HTTP/1.1 429"), refused.constData());
        const auto h = headersOf(refused);
        QVERIFY(net::headerValue(h, "Retry-After").toInt() > 50);
        QCOMPARE(net::headerValue(h, "RateLimit-Policy"), QByteArray("2;w=60"));
        QCOMPARE(net::headerValue(h, "RateLimit-Remaining"), QByteArray("0"));
        // Another loopback address is another client, with a quota of its own.
        const QByteArray other = rawGet(server.port(), path, two);
        QVERIFY2(other.startsWith("HTTP/1.1 200"), other.constData());
        QCOMPARE(net::headerValue(headersOf(other), "RateLimit-Remaining"), QByteArray("1"));
    }

    void demoHostsAreNumberedByAddress() {
        QCOMPARE(demo::demoHostAddress(1), QStringLiteral("127.0.1.1"));
        QCOMPARE(demo::demoHostAddress(254), QStringLiteral("127.0.1.254"));
        QCOMPARE(demo::demoHostAddress(255), QStringLiteral("127.0.2.1"));
        for (const int n : {1, 7, 254, 255, 1000, demo::kMaxDemoHosts})
            QCOMPARE(demo::demoHostNumber(demo::demoHostAddress(n)), n);
        QCOMPARE(demo::demoHostNumber(QStringLiteral("127.0.0.1")), 0);
        QCOMPARE(demo::demoHostNumber(QStringLiteral("10.0.1.1")), 0);
        QCOMPARE(demo::demoHostNumber(QStringLiteral("localhost")), 0);
    }

    // Every second host is down from 1 s to 4 s after the first request; a request that comes
    // back before the Retry-After it was given (and after the grace) is early.
    void outagesRefuseUntilTheEndAndCountEarlyReturns() {
        const auto plan = demo::parseOutagePlan(QStringLiteral("1-4"), QStringLiteral("2"));
        QVERIFY(plan);
        QVERIFY(!demo::parseOutagePlan(QStringLiteral("4-1"), {}));
        QVERIFY(!demo::parseOutagePlan(QStringLiteral("x"), {}));
        QVERIFY(!demo::parseOutagePlan({}, QStringLiteral("0")));
        demo::HostOutages outages(250);
        QVERIFY(outages.admit(2, *plan, 10'000).allowed); // the start: 0 s
        const auto refused = outages.admit(2, *plan, 11'500);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.retryAfterS, 3); // 2.5 s left, rounded up
        QVERIFY(outages.admit(1, *plan, 11'500).allowed);
        QVERIFY(!outages.admit(2, *plan, 11'600).allowed); // on its way already: not early
        QCOMPARE(outages.early(), qint64(0));
        QVERIFY(!outages.admit(2, *plan, 12'000).allowed); // came back too soon
        QCOMPARE(outages.early(), qint64(1));
        QVERIFY(outages.admit(2, *plan, 15'000).allowed); // told 2 s at 12.0: 15.0 is on time
        QCOMPARE(outages.early(), qint64(1));
        QCOMPARE(outages.refused(), qint64(3));
        QCOMPARE(outages.acceptedBetween(1000, 4000), qint64(1));
        // Five quiet seconds later, a batch run again sees the outage again, from its start.
        QVERIFY(outages.admit(2, *plan, 20'000).allowed);
        QVERIFY(!outages.admit(2, *plan, 21'000).allowed);
        QCOMPARE(outages.refused(), qint64(1));
        QCOMPARE(outages.early(), qint64(0));
        // A client that waited as told (here 3 s, then 5 more quiet ones) is not a new run.
        demo::HostOutages waited(250);
        const auto longOne = demo::parseOutagePlan(QStringLiteral("0-10"), QStringLiteral("2"));
        QVERIFY(!waited.admit(2, *longOne, 0).allowed);     // told 10 s
        QVERIFY(waited.admit(2, *longOne, 10'500).allowed); // back after 10.5 s: outage over
        QCOMPARE(waited.refused(), qint64(1));
    }
};

QTEST_GUILESS_MAIN(TestQuota)
#include "tst_quota.moc"
