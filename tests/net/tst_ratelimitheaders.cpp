// SPDX-License-Identifier: Apache-2.0
#include "net/ratelimitheaders.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil;
using net::AnnouncedLimit;

namespace {
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);

AnnouncedLimit parse(std::initializer_list<std::pair<const char *, const char *>> headers) {
    net::RawHeaders raw;
    for (const auto &[k, v] : headers)
        raw.append({QByteArray(k), QByteArray(v)});
    return net::parseAnnouncedLimit(raw, kNow);
}
} // namespace

/// The limits servers announce, in each form they use.
class TestRateLimitHeaders : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nothingAnnounced() {
        const auto a = parse({{"Content-Type", "application/json"}, {"Retry-After", "1"}});
        QVERIFY(!a.any());
        QVERIFY(!a.window);
    }

    void draftSeparateFields() {
        const auto a = parse({{"RateLimit-Limit", "10"},
                              {"ratelimit-remaining", "4"},
                              {"RateLimit-Reset", "2"},
                              {"RateLimit-Policy", "10;w=1"}});
        QCOMPARE(a.quota, 10.0);
        QCOMPARE(a.window, std::optional<async::Clock::Duration>(1s));
        QCOMPARE(a.remaining, 4.0);
        QCOMPARE(a.reset, std::optional<async::Clock::Duration>(2s));
    }

    // The older drafts put the policies after the limit itself.
    void policiesInTheLimitField() {
        const auto a = parse({{"RateLimit-Limit", "100, 100;w=60, 10;w=1"}});
        QCOMPARE(a.quota, 100.0); // 100 a minute (1.7/s) is stricter than 10/s
        QCOMPARE(a.window, std::optional<async::Clock::Duration>(60s));
    }

    void stricterPolicyWins() {
        const auto a = parse({{"RateLimit-Policy", "10;w=1, 60;w=60"}});
        QCOMPARE(a.quota, 60.0);
        QCOMPARE(a.window, std::optional<async::Clock::Duration>(60s));
    }

    void combinedDraft07() {
        const auto a = parse(
            {{"RateLimit", "limit=10, remaining=3, reset=1"}, {"RateLimit-Policy", "10;w=1"}});
        QCOMPARE(a.quota, 10.0);
        QCOMPARE(a.remaining, 3.0);
        QCOMPARE(a.reset, std::optional<async::Clock::Duration>(1s));
    }

    void structuredDraft08() {
        const auto a = parse({{"RateLimit-Policy", "\"burst\";q=100;w=60, \"day\";q=1000;w=86400"},
                              {"RateLimit", "\"burst\";r=40;t=20, \"day\";r=900;t=3600"}});
        QCOMPARE(a.quota, 1000.0); // 1000 a day is the stricter rate
        QCOMPARE(a.window, std::optional<async::Clock::Duration>(86400s));
        // The policy with the least left gives both: 40 left, back in 20 s.
        QCOMPARE(a.remaining, 40.0);
        QCOMPARE(a.reset, std::optional<async::Clock::Duration>(20s));
    }

    // A used-up short window is waited out for its own reset, not the day's.
    void remainingAndResetComeFromOnePolicy() {
        const auto a = parse({{"RateLimit", "\"burst\";r=0;t=10, \"day\";r=900;t=40000"}});
        QCOMPARE(a.remaining, 0.0);
        QCOMPARE(a.reset, std::optional<async::Clock::Duration>(10s));
    }

    // Draft 08's quota units: a policy on bytes says nothing about requests.
    void policiesOnOtherUnitsAreIgnored() {
        const auto a = parse({{"RateLimit-Policy", "\"bytes\";q=1000000;w=1;qu=\"content-bytes\", "
                                                   "\"calls\";q=10;w=1;qu=\"requests\""},
                              {"RateLimit", "\"bytes\";r=0;t=1, \"calls\";r=7;t=1"}});
        QCOMPARE(a.quota, 10.0);
        QCOMPARE(a.remaining, 7.0);
    }

    // A quoted name may hold the separators.
    void quotedNamesWithSeparators() {
        const auto a = parse({{"RateLimit-Policy", "\"a,b;c\";q=5;w=1"}});
        QCOMPARE(a.quota, 5.0);
    }

    void gitHubUnixTimeReset() {
        const auto a = parse({{"X-RateLimit-Limit", "5000"},
                              {"X-RateLimit-Remaining", "4999"},
                              {"X-RateLimit-Reset", "1800000030"}});
        QCOMPARE(a.quota, 5000.0);
        QCOMPARE(a.remaining, 4999.0);
        QCOMPARE(a.reset, std::optional<async::Clock::Duration>(30s));
        QVERIFY(!a.window);
    }

    void gitHubDeltaReset() {
        QCOMPARE(parse({{"X-RateLimit-Reset", "15"}}).reset,
                 std::optional<async::Clock::Duration>(15s));
        // A reset already past is no wait at all.
        QCOMPARE(parse({{"X-RateLimit-Reset", "1799999990"}}).reset,
                 std::optional<async::Clock::Duration>(0s));
    }

    // The draft's names win over the older ones.
    void draftNamesWin() {
        const auto a = parse({{"X-RateLimit-Remaining", "100"}, {"RateLimit-Remaining", "2"}});
        QCOMPARE(a.remaining, 2.0);
    }

    void nonsenseIsIgnored() {
        const auto a = parse({{"RateLimit-Limit", "-5"},
                              {"RateLimit-Remaining", "lots"},
                              {"RateLimit-Reset", "1e300"},
                              {"RateLimit-Policy", "10;w=0, x;w=abc, ;;;,,"}});
        QVERIFY(!a.any());
        QVERIFY(!a.window);
    }
};

QTEST_APPLESS_MAIN(TestRateLimitHeaders)
#include "tst_ratelimitheaders.moc"
