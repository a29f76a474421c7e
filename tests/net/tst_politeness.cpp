// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/keyedratelimiter.h"
#include "demofixture.h"
#include "fetch/batchrunner.h"
#include "fetch/downloader.h"
#include "net/httpclient.h"
#include "net/politeness.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace std::chrono_literals;
using namespace vigil;
using vigil::test::drive;

namespace {
/// A policy that retries at once: these tests are about what is retried, not when.
async::RetryPolicy quickPolicy(int attempts) {
    return {attempts, 1ms, 1ms, 60s};
}

QCoro::Task<net::PoliteResult> politeGet(net::HttpClient &client, async::KeyedRateLimiter &limiter,
                                         QUrl url, async::RetryPolicy policy, async::Clock &clock,
                                         std::stop_token token, net::PoliteHooks hooks) {
    net::HttpRequest request;
    request.url = url;
    auto send = net::sendPolitely(client, limiter, request, policy, clock, token, hooks);
    co_return co_await send;
}
} // namespace

/// sendPolitely(): the one retry and politeness path that fetches and downloads share.
class TestPoliteness : public QObject {
    Q_OBJECT
    test::DemoFixture m_server;
    net::HttpClient *m_client = nullptr;

    net::PoliteResult get(const QString &path, int attempts, net::PoliteHooks hooks = {}) {
        async::KeyedRateLimiter limiter(async::Clock::system(), 0);
        return drive(politeGet(*m_client, limiter, m_server.url(path), quickPolicy(attempts),
                               async::Clock::system(), {}, std::move(hooks)))
            .value();
    }

    /// Asserts the server saw no request after the first @p wave before @p retryAfterMs had passed
    /// since the first one (the one answered 429 at once).
    void verifyNothingKnockedEarly(int wave, qint64 retryAfterMs) {
        auto times = m_server->arrivals(QStringLiteral("/fail-first"));
        std::sort(times.begin(), times.end());
        QVERIFY(times.size() > wave);
        const qint64 reopens = times.first() + retryAfterMs;
        for (qsizetype i = wave; i < times.size(); ++i)
            QVERIFY2(times[i] >= reopens,
                     qPrintable(QStringLiteral("request %1 came %2 ms after the 429, before the "
                                               "advertised %3 ms")
                                    .arg(i + 1)
                                    .arg(times[i] - times.first())
                                    .arg(retryAfterMs)));
    }

private Q_SLOTS:
    void init() {
        QVERIFY(m_server.start(21));
        m_client = new net::HttpClient(async::Clock::system(), this);
    }

    void cleanup() {
        delete m_client;
        m_server.stop();
    }

    void retriesWhatRetryableSays_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<int>("status");
        QTest::newRow("503 twice, then ok")
            << QStringLiteral("/fail-first/a?n=2&status=503") << 3 << 200;
        QTest::newRow("500 beyond the policy")
            << QStringLiteral("/fail-first/b?n=9&status=500") << 3 << 500;
        QTest::newRow("404 is final") << QStringLiteral("/fail-first/c?n=1&status=404") << 1 << 404;
        QTest::newRow("501 is final") << QStringLiteral("/fail-first/d?n=1&status=501") << 1 << 501;
        QTest::newRow("ok at once") << QStringLiteral("/fail-first/e?n=0") << 1 << 200;
    }

    void retriesWhatRetryableSays() {
        QFETCH(QString, path);
        QFETCH(int, attempts);
        QFETCH(int, status);
        const auto r = get(path, 3);
        QCOMPARE(r.attempts, attempts);
        QCOMPARE(r.response.status, status);
        QVERIFY(!r.cancelled);
        QCOMPARE(m_server->requestCount(), qint64(attempts));
    }

    void hooksPrepareEachAttemptAndJudgeIt() {
        QList<int> prepared;
        net::PoliteHooks hooks;
        hooks.prepare = [&prepared](net::HttpRequest &request, int attempt) {
            prepared << attempt;
            request.headers.append({"X-Attempt", QByteArray::number(attempt)});
        };
        // An ok answer retried anyway (a body that ended short), then accepted.
        hooks.judge = [&prepared](const net::HttpResponse &) {
            return prepared.size() < 2 ? net::AttemptVerdict::Retry : net::AttemptVerdict::Finish;
        };
        const auto r = get(QStringLiteral("/fail-first/f?n=0"), 5, hooks);
        QCOMPARE(prepared, (QList<int>{1, 2}));
        QCOMPARE(r.attempts, 2);
        QCOMPARE(r.response.status, 200);

        // Finish stops even a retryable answer.
        net::PoliteHooks finish;
        finish.judge = [](const net::HttpResponse &) { return net::AttemptVerdict::Finish; };
        QCOMPARE(get(QStringLiteral("/fail-first/g?n=3&status=503"), 5, finish).attempts, 1);
    }

    void cancelDuringTheServerDelayEndsTheWaitAndPausesTheHost() {
        // The clock is virtual for the waits only; the request itself is real.
        async::VirtualClock clock;
        async::KeyedRateLimiter limiter(clock, 0);
        std::stop_source stop;
        net::PoliteHooks hooks;
        // Stop 5 s into the 30 s the server asked for, timed from the answer itself.
        hooks.judge = [&](const net::HttpResponse &) {
            clock.callAfter(5s, [&stop] { stop.request_stop(); });
            return net::AttemptVerdict::ByResponse;
        };
        const QUrl url = m_server.url(QStringLiteral("/fail-first/h?n=1&retry-after=30"));
        const auto started = clock.now();
        const auto r = drive(politeGet(*m_client, limiter, url, quickPolicy(5), clock,
                                       stop.get_token(), hooks),
                             &clock)
                           .value();
        QVERIFY(r.cancelled);
        QCOMPARE(r.attempts, 1);
        QCOMPARE(r.response.status, 429);
        QCOMPARE(clock.now() - started, async::Clock::Duration(5s));
        QCOMPARE(limiter.forKey(net::originKey(url)).pausedUntil() - started,
                 async::Clock::Duration(30s));
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
    }

    // With a learned rate, a 503 with Retry-After pauses the host as a 429 does, and a 403 that
    // is a rate limit (GitHub's: Retry-After, or nothing remaining) is waited out and retried;
    // every one counts as throttled. Without it, a 403 is the end.
    void learnedRateTakesEveryServersSlowDown_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("adaptive");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<int>("throttled");
        QTest::addColumn<int>("pausedS");
        QTest::newRow("503, learned")
            << "/fail-first/a?n=1&status=503&retry-after=7" << true << 2 << 1 << 7;
        QTest::newRow("503, fixed")
            << "/fail-first/b?n=1&status=503&retry-after=7" << false << 2 << 1 << 0;
        QTest::newRow("403 + Retry-After, learned")
            << "/fail-first/c?n=2&status=403&retry-after=3" << true << 3 << 2 << 3;
        QTest::newRow("403, fixed")
            << "/fail-first/d?n=1&status=403&retry-after=3" << false << 1 << 0 << 0;
    }
    void learnedRateTakesEveryServersSlowDown() {
        QFETCH(QString, path);
        QFETCH(bool, adaptive);
        QFETCH(int, attempts);
        QFETCH(int, throttled);
        QFETCH(int, pausedS);
        async::VirtualClock clock; // for the waits only; the requests are real
        async::KeyedRateLimiter limiter(
            clock, 0, 1, adaptive ? std::optional(async::AutoRateBounds{}) : std::nullopt);
        const QUrl url = m_server.url(path);
        const auto started = clock.now();
        const auto r =
            drive(politeGet(*m_client, limiter, url, quickPolicy(3), clock, {}, {}), &clock)
                .value();
        QCOMPARE(r.attempts, attempts);
        QCOMPARE(r.throttled, throttled);
        QCOMPARE(r.hostPauses, pausedS > 0 ? throttled : 0);
        const auto pausedUntil = limiter.forKey(net::originKey(url)).pausedUntil();
        QVERIFY2(pausedS == 0 ? pausedUntil <= started
                              : pausedUntil - started >=
                                    async::Clock::Duration(std::chrono::seconds(pausedS)),
                 "the host's pause");
    }

    // A host paused longer than an item may wait fails it with the status behind the pause: a
    // 503 is not reported as a 429 (nor counted as a rate limit).
    void aPauseTooLongFailsWithItsOwnStatus() {
        async::VirtualClock clock;
        async::KeyedRateLimiter limiter(clock, 0, 1, async::AutoRateBounds{});
        auto policy = quickPolicy(3);
        policy.maxServerWait = 60s;
        const QUrl first =
            m_server.url(QStringLiteral("/fail-first/p?n=1&status=503&retry-after=100"));
        const auto a =
            drive(politeGet(*m_client, limiter, first, policy, clock, {}, {}), &clock).value();
        QCOMPARE(a.response.status, 503);
        const QUrl second = m_server.url(QStringLiteral("/item/x?ms=0"));
        const auto b =
            drive(politeGet(*m_client, limiter, second, policy, clock, {}, {}), &clock).value();
        QCOMPARE(b.attempts, 1);
        QCOMPARE(b.response.status, 503);
        QVERIFY2(b.response.errorMessage.contains(QStringLiteral("asked to wait")),
                 qPrintable(b.response.errorMessage));
    }

    // Issue 12 point 7: a wait the server asked for is its pacing, not a failure; four of them
    // in a row must not exhaust a policy of two attempts.
    void serverAskedWaitsDoNotUseUpAttempts_data() {
        QTest::addColumn<int>("status");
        QTest::newRow("429") << 429;
        QTest::newRow("503") << 503;
    }

    void serverAskedWaitsDoNotUseUpAttempts() {
        QFETCH(int, status);
        async::VirtualClock clock; // for the waits only; the requests are real
        async::KeyedRateLimiter limiter(clock, 0);
        const QUrl url =
            m_server.url(QStringLiteral("/fail-first/w%1?n=4&status=%1&retry-after=1").arg(status));
        const auto started = clock.now();
        const auto r =
            drive(politeGet(*m_client, limiter, url, quickPolicy(2), clock, {}, {}), &clock)
                .value();
        QCOMPARE(r.response.status, 200);
        QCOMPARE(r.attempts, 5);
        QCOMPARE(clock.now() - started, async::Clock::Duration(4s));
    }

    // ... but they are bounded by maxServerWait in total: five waits of 60 s fill the 300 s, and
    // the sixth answer fails the request, saying why.
    void serverAskedWaitsAreBoundedInTotal() {
        async::VirtualClock clock;
        async::KeyedRateLimiter limiter(clock, 0);
        const QUrl url = m_server.url(QStringLiteral("/fail-first/t?n=99&retry-after=60"));
        const auto started = clock.now();
        const auto r =
            drive(politeGet(*m_client, limiter, url, quickPolicy(2), clock, {}, {}), &clock)
                .value();
        QCOMPARE(r.response.status, 429);
        QCOMPARE(r.attempts, 6);
        QCOMPARE(r.response.errorMessage,
                 QStringLiteral("the server asked to wait 60 s more after 300 s of waiting "
                                "(longer than the 300 s allowed)"));
        QCOMPARE(clock.now() - started, async::Clock::Duration(300s));
    }

    // A host pause set by other requests' 429s is a server-asked wait too: it counts toward the
    // same bound, so a request cannot wait past --max-wait because the waits were others'.
    void hostPausesFromOtherRequestsCountTowardTheBound() {
        async::VirtualClock clock;
        async::KeyedRateLimiter limiter(clock, 0);
        const QUrl url = m_server.url(QStringLiteral("/fail-first/o?n=99&retry-after=60"));
        limiter.pauseUntil(net::originKey(url), clock.now() + 200s); // another request's 429
        const auto started = clock.now();
        const auto r =
            drive(politeGet(*m_client, limiter, url, quickPolicy(2), clock, {}, {}), &clock)
                .value();
        QCOMPARE(r.response.status, 429);
        QCOMPARE(r.response.errorMessage,
                 QStringLiteral("the server asked to wait 60 s more after 260 s of waiting "
                                "(longer than the 300 s allowed)"));
        QCOMPARE(clock.now() - started, async::Clock::Duration(260s));
    }

    // One 429 asking for 600 s, more than the 5 minutes honoured: that request fails saying so,
    // the next one for the host fails at once without knocking, and another host never waits.
    void aHostThatAsksTooLongFailsWithoutHangingOthers() {
        async::KeyedRateLimiter limiter(async::Clock::system(), 0);
        const auto getFrom = [&](const QUrl &url) {
            return drive(politeGet(*m_client, limiter, url, quickPolicy(3), async::Clock::system(),
                                   {}, {}),
                         nullptr, 5s)
                .value();
        };
        const QString path = QStringLiteral("/fail-first/x?n=1&retry-after=600&group=long");
        const auto first = getFrom(m_server.url(path));
        QCOMPARE(first.response.status, 429);
        QCOMPARE(first.response.errorMessage,
                 QStringLiteral("the server asked to wait 600 s (longer than the 300 s allowed)"));
        QCOMPARE(first.attempts, 1);
        const auto second = getFrom(m_server.url(path));
        QVERIFY2(second.response.errorMessage.startsWith(
                     QStringLiteral("the server asked to wait 600 s")),
                 qPrintable(second.response.errorMessage));
        QCOMPARE(m_server->requestCount(), qint64(1)); // the paused host was not asked again
        QUrl other = m_server.url(QStringLiteral("/item/1?ms=0"));
        other.setHost(QStringLiteral("localhost")); // same server, another origin
        QVERIFY(getFrom(other).response.ok());
    }

    // The same through a batch: every item on that host fails within moments, not in 600 s.
    void aBatchDoesNotWaitForAnOverlongRetryAfter() {
        fetch::BatchRunner runner(*m_client, async::Clock::system());
        fetch::BatchSpec spec;
        spec.urlTemplate = m_server->baseUrl().toString() +
                           QStringLiteral("/fail-first/{item}?n=1&retry-after=600&group=b");
        spec.items = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
        spec.concurrency = 1;
        const auto s = drive(runner.run(spec), nullptr, 10s).value();
        QCOMPARE(s.failed, 3);
        QCOMPARE(m_server->requestCount(), qint64(1));
    }

    // Two slots; the first request gets 429 + Retry-After: 1 at once, the second its answer
    // 400 ms later, and that slot's next item must wait for the host to reopen.
    void fetchesWaitForTheHostThatSaid429() {
        fetch::BatchRunner runner(*m_client, async::Clock::system());
        fetch::BatchSpec spec;
        spec.urlTemplate = m_server->baseUrl().toString() +
                           QStringLiteral("/fail-first/{item}?n=1&retry-after=1&ms=400&group=f");
        spec.items = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                      QStringLiteral("d")};
        spec.concurrency = 2;
        const auto s = drive(runner.run(spec)).value();
        QCOMPARE(s.ok, 4);
        QCOMPARE(m_server->requestCount(), qint64(5));
        verifyNothingKnockedEarly(2, 1000);
    }

    void downloadsWaitForTheHostThatSaid429() {
        QTemporaryDir dir;
        fetch::Downloader downloader(*m_client, async::Clock::system());
        QList<fetch::DownloadItem> items;
        for (const char *id : {"a", "b", "c", "d"})
            items << fetch::DownloadItem{
                m_server.url(QStringLiteral("/fail-first/%1?n=1&retry-after=1&ms=400&group=d")
                                 .arg(QLatin1String(id))),
                {},
                {}};
        fetch::DownloadOptions options;
        options.outDir = dir.path();
        options.concurrency = 2;
        QStringList errors;
        connect(&downloader, &fetch::Downloader::progress, this,
                [&errors](const fetch::DownloadProgress &p) {
                    if (p.state == fetch::DownloadState::Failed)
                        errors << p.name + QStringLiteral(": ") + p.error;
                });
        const auto s = drive(downloader.run(items, options)).value();
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
        QCOMPARE(s.ok, 4);
        QCOMPARE(m_server->requestCount(), qint64(5));
        verifyNothingKnockedEarly(2, 1000);
    }
};

QTEST_GUILESS_MAIN(TestPoliteness)
#include "tst_politeness.moc"
