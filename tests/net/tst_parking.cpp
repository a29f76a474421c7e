// SPDX-License-Identifier: Apache-2.0
// sendPolitely() with parkOnPause, on a VirtualClock: a send whose host pauses gives its slot back
// and goes on later from where it stopped, and never parks through a wait longer than the pause.
#include "asynctest.h"

#include "async/keyedratelimiter.h"
#include "async/sleep.h"
#include "async/unlesscancelled.h"
#include "fetch/attemptphases.h"
#include "net/politeness.h"
#include "net/transport.h"

#include <QTest>

#include <functional>

using namespace std::chrono_literals;
using namespace vigil;
using vigil::test::drive;

namespace {
/// Answers each request with what @p answer says for attempt n (1, 2, …), after 1 ms.
class ScriptedTransport final : public net::Transport {
public:
    using Answer = std::function<net::HttpResponse(int n)>;
    ScriptedTransport(async::VirtualClock &clock, Answer answer)
        : m_clock(clock)
        , m_answer(std::move(answer)) {}

    QCoro::Task<net::HttpResponse> send(net::HttpRequest request, std::stop_token token) override {
        auto wire = async::sleepFor(m_clock, 1ms, token);
        co_await async::unlessCancelled(wire);
        sentAt.push_back(m_clock.elapsed());
        net::HttpResponse r = m_answer(int(sentAt.size()));
        r.finalUrl = request.url;
        co_return r;
    }
    std::vector<async::Clock::Duration> sentAt;

private:
    async::VirtualClock &m_clock;
    Answer m_answer;
};

net::HttpResponse refusal(int status, std::chrono::seconds retryAfter) {
    net::HttpResponse r;
    r.status = status;
    r.error = net::HttpErrorKind::HttpStatus;
    r.errorMessage = QStringLiteral("HTTP %1").arg(status);
    r.retryAfter = retryAfter;
    return r;
}

net::HttpResponse fine() {
    net::HttpResponse r;
    r.status = 200;
    return r;
}

QCoro::Task<net::PoliteResult> send(net::Transport &t, async::KeyedRateLimiter &limiter,
                                    async::Clock &clock, net::PoliteHooks hooks) {
    net::HttpRequest request;
    request.url = QUrl(QStringLiteral("http://a.example/x"));
    const async::RetryPolicy policy{3, 1ms, 1ms, 10min};
    auto sending = net::sendPolitely(t, limiter, request, policy, clock, {}, hooks);
    co_return co_await sending;
}
} // namespace

class TestParking : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aPausedSendParksAndResumesWithItsBudget() {
        async::VirtualClock clock;
        async::KeyedRateLimiter limiter(clock, 0);
        ScriptedTransport t(clock, [](int n) { return n == 1 ? refusal(429, 2s) : fine(); });
        net::PoliteHooks hooks;
        hooks.parkOnPause = true;
        const auto first = drive(send(t, limiter, clock, hooks), &clock).value();
        QVERIFY(first.parked);
        QCOMPARE(first.attempts, 1);
        QCOMPARE(first.throttled, 1);
        QCOMPARE(first.carry.serverWaited, async::Clock::Duration(2s));
        QCOMPARE(clock.elapsed(), async::Clock::Duration(1ms)); // it did not wait the 2 s
        clock.advance(2s);
        hooks.resume = &first;
        const auto second = drive(send(t, limiter, clock, hooks), &clock).value();
        QVERIFY(!second.parked);
        QCOMPARE(second.response.status, 200);
        QCOMPARE(second.attempts, 2);
        QCOMPARE(second.throttled, 1);
        QVERIFY(second.waited >= 2s); // the parked time is queue time
        QCOMPARE(t.sentAt.size(), std::size_t(2));
    }

    // A 503 asking for 60 s while another request's 429 paused the host for 2 s: parking would
    // bring it back after 2 s, 58 s before its server asked. It waits its own 60 s instead.
    void aLongerWaitOfItsOwnIsSleptOutNotParked() {
        async::VirtualClock clock;
        async::KeyedRateLimiter limiter(clock, 0);
        ScriptedTransport t(clock, [&](int n) {
            if (n > 1)
                return fine();
            limiter.pauseUntil(QStringLiteral("http://a.example:80"), clock.now() + 2s);
            return refusal(503, 60s);
        });
        net::PoliteHooks hooks;
        hooks.parkOnPause = true;
        const auto r = drive(send(t, limiter, clock, hooks), &clock).value();
        QVERIFY(!r.parked);
        QCOMPARE(r.response.status, 200);
        QCOMPARE(t.sentAt.size(), std::size_t(2));
        QVERIFY(t.sentAt[1] >= 60s);
    }

    void aHeldTokenSkipsTheWaitForOne() {
        async::VirtualClock clock;
        async::KeyedRateLimiter limiter(clock, 1); // one a second
        QVERIFY(limiter.forKey(QStringLiteral("http://a.example:80")).tryAcquire());
        ScriptedTransport t(clock, [](int) { return fine(); });
        net::PoliteHooks hooks;
        hooks.tokenHeld = true; // the scheduler took it
        const auto r = drive(send(t, limiter, clock, hooks), &clock).value();
        QCOMPARE(r.response.status, 200);
        QCOMPARE(t.sentAt.front(), async::Clock::Duration(1ms)); // not a second later
    }

    // The timeline of a send: the time parked for the host's pause is the host's (limit), a
    // retry's sleep is backoff, and each exchange follows its waits.
    void theTimelineTellsTheHostsWaitFromBackoff() {
        async::VirtualClock clock;
        async::KeyedRateLimiter limiter(clock, 0);
        ScriptedTransport t(clock, [](int n) {
            return n == 1 ? refusal(429, 2s) : n == 2 ? refusal(503, 1s) : fine();
        });
        net::PoliteHooks hooks;
        hooks.parkOnPause = true;
        const auto start = clock.now();
        const auto first = drive(send(t, limiter, clock, hooks), &clock).value();
        QVERIFY(first.parked);
        clock.advance(2s);
        hooks.resume = &first;
        const auto done = drive(send(t, limiter, clock, hooks), &clock).value();
        QCOMPARE(done.response.status, 200);
        const auto &line = done.timeline;
        QCOMPARE(line.size(), 3);
        QCOMPARE(line[0].status, 429);
        QCOMPARE(line[0].waitFrom, start);
        QCOMPARE(line[0].limit, async::Clock::Duration(0));
        QCOMPARE(line[0].exchange.waitMs, 1.0f); // a simulated server: all of it is waiting
        QVERIFY(!line[0].exchange.measured);
        QCOMPARE(line[1].status, 503);
        QCOMPARE(line[1].waitFrom, line[0].sentAt + 1ms);
        QCOMPARE(line[1].limit, async::Clock::Duration(2s)); // parked through the host's pause
        QCOMPARE(line[1].backoff, async::Clock::Duration(0));
        QCOMPARE(line[2].backoff, async::Clock::Duration(1s)); // the 503's Retry-After, slept
        QCOMPARE(line[2].limit, async::Clock::Duration(0));
        QCOMPARE(line[2].sentAt, line[1].sentAt + 1ms + 1s);
    }

    // On the batch's timeline, an item's first attempt starts in its host's line, and each
    // redirect hop is a record that starts where the one before it ended.
    void aBatchTimelineStartsInTheLineAndSplitsRedirects() {
        const async::Clock::TimePoint zero{};
        net::AttemptTiming a;
        a.waitFrom = zero + 100ms;
        a.limit = 50ms;
        a.sentAt = zero + 150ms;
        a.exchange = net::ExchangeTiming::unmeasured(20);
        a.status = 200;
        a.finalUrl = QUrl(QStringLiteral("https://b.example/new?token=Z&x=1"));
        a.redirects.append({QUrl(QStringLiteral("https://a.example/old")), 301,
                            net::ExchangeTiming::unmeasured(30)});
        const auto records =
            fetch::phasesOnTimeline({a}, zero, 40ms, QStringLiteral("https://a.example/old"));
        QCOMPARE(records.size(), 2);
        QCOMPARE(records[0].startMs, 60.0); // 40 ms in line before it began waiting for the host
        QCOMPARE(records[0].queuedMs, 40.0f);
        QCOMPARE(records[0].limitMs, 50.0f);
        QCOMPARE(records[0].sentMs(), 150.0);
        QCOMPARE(records[0].status, 301);
        QVERIFY(records[0].redirect);
        QCOMPARE(records[1].startMs, 180.0);
        QCOMPARE(records[1].waitsMs(), 0.0f);
        QCOMPARE(records[1].endMs(), 200.0);
        QCOMPARE(records[1].url, QStringLiteral("https://b.example/new?token=REDACTED&x=1"));
        QCOMPARE(records[1].attempt, 1);
    }
};

QTEST_GUILESS_MAIN(TestParking)
#include "tst_parking.moc"
