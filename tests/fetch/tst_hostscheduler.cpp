// SPDX-License-Identifier: Apache-2.0
// The batch's scheduler on a VirtualClock: a full, paused, rate-limited or broken host never
// holds up the others, and each host's items keep their order.
#include "asynctest.h"

#include "async/keyedratelimiter.h"
#include "async/unlesscancelled.h"
#include "fetch/hostscheduler.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil;
using fetch::HostOutcome;
using fetch::HostScheduler;
using fetch::HostTicket;

namespace {
QStringList L(const char *words) {
    return QString::fromLatin1(words).split(u' ', Qt::SkipEmptyParts);
}

/// Items named by their host ("a", "b", …), handed out by one scheduler.
struct Fixture {
    explicit Fixture(QStringList hostsOfItems, HostScheduler::Limits limits = {}, double rate = 0)
        : hosts(std::move(hostsOfItems))
        , limiter(clock, rate)
        , scheduler(
              clock, limiter, limits, [this] { return next < hosts.size() ? int(next++) : -1; },
              [this](int i) { return hosts.at(i); }) {}

    /// Every item that can start now, in the order handed out, as "host+index".
    QStringList drainReady() {
        QStringList out;
        while (const auto t = scheduler.tryNext()) {
            out << t->host + QString::number(t->index);
            tickets << *t;
        }
        return out;
    }
    void finishAll(HostOutcome outcome = HostOutcome::Answered) {
        for (const auto &t : std::exchange(tickets, {}))
            scheduler.finish(t, outcome);
    }

    async::VirtualClock clock;
    QStringList hosts;
    qsizetype next = 0;
    async::KeyedRateLimiter limiter;
    HostScheduler scheduler;
    QList<HostTicket> tickets;
};

QCoro::Task<int> waitForOne(HostScheduler &s, std::stop_token token) {
    for (;;) {
        if (const auto t = s.tryNext())
            co_return t->index;
        if (s.finished())
            co_return -1;
        auto wake = s.wait(token);
        if (!co_await async::unlessCancelled(wake))
            co_return -1;
    }
}
} // namespace

class TestHostScheduler : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aFullHostLetsTheNextHostsItemGoFirst() {
        HostScheduler::Limits limits;
        limits.perHost = 1;
        Fixture f(L("a a a b b c"), limits);
        QCOMPARE(f.drainReady(), L("a0 b3 c5"));
        QCOMPARE(f.scheduler.deferred(), std::size_t(3));
        f.finishAll();
        QCOMPARE(f.drainReady(), L("a1 b4")); // each host's own order kept
        f.finishAll();
        QCOMPARE(f.drainReady(), L("a2"));
        QVERIFY(!f.scheduler.finished());
        f.finishAll();
        QVERIFY(f.scheduler.finished());
    }

    void aPausedHostNeverHoldsUpTheOthers() {
        Fixture f(L("a b a b a b"));
        f.limiter.pauseUntil(QStringLiteral("a"), f.clock.now() + 10s);
        QCOMPARE(f.drainReady(), L("b1 b3 b5"));
        f.finishAll();
        f.clock.advance(9999ms);
        QVERIFY(f.drainReady().isEmpty()); // not one request early
        f.clock.advance(1ms);
        QCOMPARE(f.drainReady(), L("a0 a2 a4"));
    }

    void aRateLimitedHostHandsOutOnlyWhenItsTokenIsThere() {
        Fixture f(L("a a a b"), {}, 5);
        const QStringList first = f.drainReady();
        QCOMPARE(first, L("a0 b3"));
        QVERIFY(f.tickets.first().tokenHeld);
        f.finishAll();
        f.clock.advance(199ms);
        QVERIFY(f.drainReady().isEmpty());
        f.clock.advance(1ms);
        QCOMPARE(f.drainReady(), L("a1"));
        QCOMPARE(f.tickets.first().held, async::Clock::Duration(200ms)); // queue time
    }

    void aWaitingSlotWakesWhenTheHostOpens() {
        Fixture f(L("a a"), {}, 1);
        QCOMPARE(f.drainReady(), L("a0"));
        f.finishAll();
        const auto index = test::drive(waitForOne(f.scheduler, {}), &f.clock);
        QCOMPARE(index.value(), 1);
        QCOMPARE(f.clock.elapsed(), async::Clock::Duration(1s));
    }

    void aParkedItemGoesBackToTheFrontOfItsHostsLine() {
        Fixture f(L("a a b"));
        const auto first = f.scheduler.tryNext();
        QCOMPARE(first->index, 0);
        f.limiter.pauseUntil(QStringLiteral("a"), f.clock.now() + 2s);
        f.scheduler.finish(*first, HostOutcome::Parked);
        QCOMPARE(f.drainReady(), L("b2"));
        f.finishAll();
        f.clock.advance(2s);
        QCOMPARE(f.drainReady(), L("a0 a1"));
    }

    void aPauseLongerThanAllowedIsHandedOutToFailAtOnce() {
        HostScheduler::Limits limits;
        limits.maxPause = 60s;
        Fixture f(L("a b"), limits);
        f.limiter.pauseUntil(QStringLiteral("a"), f.clock.now() + 1h);
        const QStringList ready = f.drainReady();
        QCOMPARE(ready, L("a0 b1"));
        QVERIFY(!f.tickets.first().tokenHeld);
    }

    void theLookaheadBoundsItemsHeldBack() {
        HostScheduler::Limits limits;
        limits.lookahead = 3;
        QStringList hosts(10, QStringLiteral("a"));
        hosts << QStringLiteral("b");
        Fixture f(hosts, limits);
        f.limiter.pauseUntil(QStringLiteral("a"), f.clock.now() + 5s);
        QVERIFY(f.drainReady().isEmpty());
        QCOMPARE(f.scheduler.deferred(), std::size_t(3));
        QCOMPARE(f.next, qsizetype(3)); // the rest of the list is not read yet
    }

    void failuresOfItemsUnderwayBeforeATimeOutDoNotCount() {
        HostScheduler::Limits limits;
        limits.breaker.failures = 2;
        limits.breaker.timeout = 10s;
        limits.breaker.maxTrips = 2;
        Fixture f(L("a a b a a a b"), limits);
        QCOMPARE(f.drainReady().size(), 7);
        const auto tickets = std::exchange(f.tickets, {});
        f.scheduler.finish(tickets[0], HostOutcome::HostFailed);
        f.scheduler.finish(tickets[1], HostOutcome::HostFailed); // trips: 10 s
        QCOMPARE(f.scheduler.breakerTrips(), 1);
        f.scheduler.finish(tickets[3], HostOutcome::HostFailed); // underway before: ignored
        QCOMPARE(f.scheduler.breakerTrips(), 1);
    }

    void theBreakerHoldsItemsBackProbesAndGivesUp() {
        HostScheduler::Limits limits;
        limits.perHost = 1;
        limits.breaker.failures = 2;
        limits.breaker.timeout = 10s;
        limits.breaker.maxTrips = 2;
        Fixture f(L("a a a a a b b"), limits);
        QCOMPARE(f.drainReady(), L("a0 b5"));
        f.finishAll(HostOutcome::HostFailed); // a: 1 failure; b: 1
        QCOMPARE(f.drainReady(), L("a1 b6"));
        f.scheduler.finish(f.tickets.takeFirst(), HostOutcome::HostFailed); // a trips: 10 s
        f.scheduler.finish(f.tickets.takeFirst(), HostOutcome::Answered);
        QCOMPARE(f.scheduler.breakerTrips(), 1);
        QVERIFY(f.drainReady().isEmpty());
        f.clock.advance(10s);
        QCOMPARE(f.drainReady(), L("a2"));    // the probe, alone
        f.finishAll(HostOutcome::HostFailed); // trips again: 20 s
        QCOMPARE(f.scheduler.breakerTrips(), 2);
        f.clock.advance(19s);
        QVERIFY(f.drainReady().isEmpty());
        f.clock.advance(1s);
        QCOMPARE(f.drainReady(), L("a3"));
        f.finishAll(HostOutcome::HostFailed); // third failed probe: given up
        const auto rest = f.scheduler.tryNext();
        QVERIFY(rest && rest->givenUp);
        QCOMPARE(rest->index, 4);
        QVERIFY2(f.scheduler.givenUpReason(QStringLiteral("a")).contains(u"circuit breaker"),
                 qPrintable(f.scheduler.givenUpReason(QStringLiteral("a"))));
    }

    // Items that were out when the host went into its time-out and fail afterwards are not
    // failed probes: the probe goes out beside them, and only its own outcome counts.
    void itemsSentBeforeATimeOutDoNotCountAsProbes() {
        HostScheduler::Limits limits;
        limits.perHost = 3;
        limits.breaker.failures = 2;
        limits.breaker.timeout = 10s;
        Fixture f(L("a a a a a"), limits);
        QCOMPARE(f.drainReady(), L("a0 a1 a2"));
        auto out = std::exchange(f.tickets, {});
        f.scheduler.finish(out[0], HostOutcome::HostFailed);
        f.scheduler.finish(out[1], HostOutcome::HostFailed); // trips: 10 s
        QCOMPARE(f.scheduler.breakerTrips(), 1);
        f.clock.advance(10s);
        QCOMPARE(f.drainReady(), L("a3")); // the probe, while a2 is still out
        QVERIFY(f.tickets.first().probe);
        f.scheduler.finish(out[2], HostOutcome::HostFailed); // sent before the time-out
        QCOMPARE(f.scheduler.breakerTrips(), 1);
        QVERIFY(f.drainReady().isEmpty()); // still one probe at a time
        f.finishAll(HostOutcome::Answered);
        QCOMPARE(f.drainReady(), L("a4"));
    }

    void anAnswerClosesTheBreaker() {
        HostScheduler::Limits limits;
        limits.perHost = 1;
        limits.breaker.failures = 2;
        limits.breaker.timeout = 10s;
        Fixture f(L("a a a a"), limits);
        f.drainReady();
        f.finishAll(HostOutcome::HostFailed);
        f.drainReady();
        f.finishAll(HostOutcome::HostFailed);
        f.clock.advance(10s);
        QCOMPARE(f.drainReady(), L("a2"));
        f.finishAll(HostOutcome::Answered); // the probe got through: closed again
        QCOMPARE(f.drainReady(), L("a3"));
    }

    void takeRemainingReturnsHeldAndUnreadItemsInOrder() {
        HostScheduler::Limits limits;
        limits.lookahead = 2;
        Fixture f(L("a b a b a"), limits);
        f.limiter.pauseUntil(QStringLiteral("a"), f.clock.now() + 5s);
        QCOMPARE(f.drainReady(), L("b1")); // a0 and a2 fill the lookahead: b3 is not read yet
        QCOMPARE(f.scheduler.takeRemaining(), QList<int>({0, 2, 3, 4}));
    }
};

QTEST_GUILESS_MAIN(TestHostScheduler)
#include "tst_hostscheduler.moc"
