// SPDX-License-Identifier: Apache-2.0
// sendPolitely() with parkOnPause, on a VirtualClock: a send whose host pauses gives its slot back
// and goes on later from where it stopped, and never parks through a wait longer than the pause.
#include "asynctest.h"

#include "async/keyedratelimiter.h"
#include "async/sleep.h"
#include "async/unlesscancelled.h"
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
};

QTEST_GUILESS_MAIN(TestParking)
#include "tst_parking.moc"
