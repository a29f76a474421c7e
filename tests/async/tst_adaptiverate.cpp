// SPDX-License-Identifier: Apache-2.0
#include "async/adaptiverate.h"
#include "async/keyedratelimiter.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil::async;

namespace {
/// Answers to requests sent at @p rate for @p duration from @p from, all accepted; returns the
/// time after the last.
Clock::TimePoint acceptAtRate(AdaptiveRate &r, Clock::TimePoint from, double rate,
                              Clock::Duration duration) {
    const auto step =
        std::chrono::duration_cast<Clock::Duration>(std::chrono::duration<double>(1.0 / rate));
    auto t = from;
    for (; t < from + duration; t += step)
        r.onAnswer(HostAnswer{t, false, {}, {}, {}, {}, {}}, t + 10ms);
    return t;
}

/// Requests sent as fast as the rate allows, all accepted, for @p duration; returns the end.
Clock::TimePoint followRate(AdaptiveRate &r, Clock::TimePoint from, Clock::Duration duration) {
    auto t = from;
    while (t < from + duration) {
        r.onAnswer(HostAnswer{t, false, {}, {}, {}, {}, {}}, t + 10ms);
        t += std::chrono::duration_cast<Clock::Duration>(
            std::chrono::duration<double>(1.0 / r.rate()));
    }
    return t;
}

HostAnswer refused(Clock::TimePoint sentAt, Clock::Duration retryAfter = 1s) {
    HostAnswer a;
    a.sentAt = sentAt;
    a.throttled = true;
    a.retryAfter = retryAfter;
    return a;
}
} // namespace

/// The adaptive rate's rules, one at a time, on made-up time points.
class TestAdaptiveRate : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void slowStartDoublesWhileTheRateBinds() {
        const Clock::TimePoint t0{};
        AdaptiveRate r({}, t0);
        QCOMPARE(r.rate(), AdaptiveRate::kStartRate);
        auto t = acceptAtRate(r, t0, 2, 1s);
        QCOMPARE(r.rate(), 4.0);
        t = acceptAtRate(r, t, 4, 500ms);
        QCOMPARE(r.rate(), 8.0);
    }

    // A rate nobody reaches (the batch's concurrency holds it back) is not raised.
    void aRateNobodyReachesIsNotRaised() {
        const Clock::TimePoint t0{};
        AdaptiveRate r({}, t0);
        acceptAtRate(r, t0, 0.5, 20s);
        QCOMPARE(r.rate(), AdaptiveRate::kStartRate);
    }

    // Refused after sending 16/s to a server that took 10 in the last second: just under 10.
    void aRefusalSettlesJustUnderWhatWasAccepted() {
        const Clock::TimePoint t0{};
        AdaptiveRate r({}, t0);
        auto t = acceptAtRate(r, t0, 2, 1s);
        t = acceptAtRate(r, t, 4, 500ms);
        t = acceptAtRate(r, t, 8, 250ms);
        QCOMPARE(r.rate(), 16.0);
        // The server's sliding second: the 10 accepted just before the refusal.
        const auto refusedAt = t + 1s;
        acceptAtRate(r, refusedAt - 1s, 10, 1s);
        r.onAnswer(refused(refusedAt), refusedAt + 10ms);
        QVERIFY2(r.rate() > 9.0 && r.rate() <= 9.7, qPrintable(QString::number(r.rate())));
        QCOMPARE(r.ceiling(), 10.0);
    }

    // A server answers "no" faster than "yes": answers to requests sent before the refused one
    // that come back after it still count toward what the server accepted.
    void lateAnswersRaiseTheCount() {
        const Clock::TimePoint t0{};
        AdaptiveRate r({}, t0);
        auto t = acceptAtRate(r, t0, 2, 1s);
        t = acceptAtRate(r, t, 4, 500ms);
        t = acceptAtRate(r, t, 8, 250ms);
        const auto refusedAt = t + 1s;
        // Nine answers in before the refusal; the tenth, sent 20 ms before it, comes back after.
        for (int i = 0; i < 9; ++i)
            r.onAnswer(HostAnswer{refusedAt - 1s + i * 100ms, false, {}, {}, {}, {}, {}},
                       refusedAt - 1s + i * 100ms + 20ms);
        r.onAnswer(refused(refusedAt), refusedAt + 1ms);
        const double early = r.rate();
        QVERIFY2(early < 9.0, qPrintable(QString::number(early)));
        r.onAnswer(HostAnswer{refusedAt - 20ms, false, {}, {}, {}, {}, {}}, refusedAt + 5ms);
        QVERIFY2(r.rate() > early && r.rate() <= 9.7, qPrintable(QString::number(r.rate())));
        QCOMPARE(r.ceiling(), 10.0);
    }

    // Answers to requests sent before the fall are the same congestion: one fall, not ten.
    void refusalsOfOneBurstCountOnce() {
        const Clock::TimePoint t0{};
        AdaptiveRate r({}, t0);
        acceptAtRate(r, t0, 2, 2s);
        const double before = r.rate();
        const auto sent = t0 + 2s;
        r.onAnswer(refused(sent), sent + 10ms);
        const double after = r.rate();
        QVERIFY(after < before);
        for (int i = 1; i <= 5; ++i)
            r.onAnswer(refused(sent + i * 1ms), sent + 20ms);
        QCOMPARE(r.rate(), after);
    }

    // Nothing accepted to go by: halve.
    void noCountHalves() {
        const Clock::TimePoint t0{};
        AdaptiveRate r({}, t0);
        r.onAnswer(refused(t0), t0 + 10ms);
        QCOMPARE(r.rate(), AdaptiveRate::kStartRate / 2);
    }

    // After a quiet period the rate rises 2% at a time; each refusal at the same limit doubles
    // the quiet period.
    void probesAdditivelyAndLessOftenAtTheSameLimit() {
        const Clock::TimePoint t0{};
        AdaptiveRate r({}, t0);
        acceptAtRate(r, t0, 10, 1s);
        r.onAnswer(refused(t0 + 1s), t0 + 1s);
        const double settled = r.rate();
        QCOMPARE(r.quietPeriod(), Clock::Duration(2s));
        auto t = acceptAtRate(r, t0 + 1s + 1ms, settled, 2s + 100ms);
        QVERIFY2(qFuzzyCompare(r.rate(), settled * 1.02), qPrintable(QString::number(r.rate())));
        // Refused again at the same limit: quiet doubles.
        acceptAtRate(r, t, 10, 5s);
        r.onAnswer(refused(t + 5s), t + 5s);
        QCOMPARE(r.quietPeriod(), Clock::Duration(4s));
    }

    void announcedPolicySetsTheRateAtOnce() {
        const Clock::TimePoint t0{};
        AdaptiveRate r({}, t0);
        HostAnswer a;
        a.sentAt = t0;
        a.quota = 100;
        a.window = 1s;
        r.onAnswer(a, t0 + 10ms);
        QCOMPARE(r.rate(), 90.0);
        QVERIFY(r.followsAnnouncement());
        acceptAtRate(r, t0, 90, 60s); // never probed past
        QCOMPARE(r.rate(), 90.0);
    }

    // A small quota: one request fewer than it per window.
    void smallAnnouncedQuotaKeepsOneInHand() {
        const Clock::TimePoint t0{};
        AdaptiveRate r({}, t0);
        HostAnswer a;
        a.quota = 2;
        a.window = 1s;
        r.onAnswer(a, t0);
        QCOMPARE(r.rate(), 0.98);
    }

    // A limit with resets and no policy: the longest reset seen is the window.
    void announcedLimitWithoutPolicyUsesTheLongestReset() {
        const Clock::TimePoint t0{};
        AdaptiveRate r({}, t0);
        HostAnswer a;
        a.quota = 3600;
        a.reset = 1800s;
        r.onAnswer(a, t0);
        QCOMPARE(r.rate(), 0.9 * 2);
        a.reset = 3600s;
        r.onAnswer(a, t0 + 1s);
        QCOMPARE(r.rate(), 0.9);
    }

    // A refusal while following an announced policy (a shared quota, a brief overload) lowers
    // the rate; after the quiet period the announced figure is back, and never passed.
    void announcedRateComesBackAfterARefusal() {
        const Clock::TimePoint t0{};
        AdaptiveRate r({}, t0);
        HostAnswer a;
        a.quota = 100;
        a.window = 1s;
        r.onAnswer(a, t0);
        QCOMPARE(r.rate(), 90.0);
        auto t = followRate(r, t0, 2s);
        r.onAnswer(refused(t), t + 1ms);
        QVERIFY(r.rate() < 90.0);
        followRate(r, t + 1s, 10s);
        QCOMPARE(r.rate(), 90.0);
    }

    // An outage (503 after 503, nothing accepted) is not a limit: the rate falls to an eighth of
    // the limit known, no further, and once answers come back it doubles back to half of it,
    // then climbs.
    void anOutageDoesNotForgetTheLimit() {
        const Clock::TimePoint t0{};
        AdaptiveRate r({}, t0);
        auto t = followRate(r, t0, 3s); // slow start past 10/s
        acceptAtRate(r, t, 10, 1s);
        r.onAnswer(refused(t + 1s), t + 1s);
        QVERIFY2(r.ceiling() >= 9.9, qPrintable(QString::number(r.ceiling())));
        t += 2s;
        for (int i = 0; i < 12; ++i, t += 3s)
            r.onAnswer(refused(t), t + 1ms); // no fine answer in between
        QVERIFY2(qFuzzyCompare(r.rate(), r.ceiling() / 8), qPrintable(QString::number(r.rate())));
        QVERIFY2(r.ceiling() >= 9.9, qPrintable(QString::number(r.ceiling())));
        followRate(r, t, 30s);
        QVERIFY2(r.rate() >= 8, qPrintable(QString::number(r.rate())));
    }

    void boundsHold() {
        const Clock::TimePoint t0{};
        AdaptiveRate r({1, 5}, t0);
        acceptAtRate(r, t0, 5, 10s);
        QCOMPARE(r.rate(), 5.0);
        for (int i = 0; i < 10; ++i)
            r.onAnswer(refused(t0 + 10s + i * 10s), t0 + 10s + i * 10s);
        QCOMPARE(r.rate(), 1.0);
    }

    // "Remaining: 0" (or no more than the requests in flight) pauses the host until the reset.
    void announcedRemainingPausesTheHost() {
        VirtualClock clock;
        KeyedRateLimiter limiter(clock, 0, 1, AutoRateBounds{});
        const QString host = QStringLiteral("http://a:80");
        const auto first = clock.now();
        limiter.sent(host, first);
        clock.advance(10ms);
        limiter.sent(host, clock.now());
        HostAnswer a;
        a.sentAt = first;
        a.remaining = 1; // and one more request, sent after it, is still in flight
        a.reset = 3s;
        limiter.answered(host, a);
        QCOMPARE(limiter.forKey(host).pausedUntil(), clock.now() + 3s);
        // A request sent before the answered one is mostly counted in "remaining" already.
        KeyedRateLimiter other(clock, 0, 1, AutoRateBounds{});
        other.sent(host, first);
        other.sent(host, clock.now());
        a.sentAt = clock.now();
        other.answered(host, a);
        QVERIFY(!other.forKey(host).isPaused());
        // A fixed rate takes no such hint.
        KeyedRateLimiter fixed(clock, 5, 1);
        fixed.sent(host, first);
        fixed.sent(host, clock.now());
        fixed.answered(host, a);
        QVERIFY(!fixed.forKey(host).isPaused());
    }
};

QTEST_APPLESS_MAIN(TestAdaptiveRate)
#include "tst_adaptiverate.moc"
