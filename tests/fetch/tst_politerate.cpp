// SPDX-License-Identifier: Apache-2.0
// `--rate auto` against a server whose limit the batch does not know: the demo's /quota rules
// (ClientQuota) on a VirtualClock, so a minute-long batch runs in a moment and the same way on
// every machine.
#include "asynctest.h"
#include "quotatransport.h"

#include "fetch/batchrunner.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil;
using vigil::test::drive;

namespace {
fetch::BatchSpec quotaSpec(int items, int concurrency, std::optional<async::AutoRateBounds> rate) {
    fetch::BatchSpec s;
    s.items = fetch::ItemList::range(items);
    s.urlTemplate = QStringLiteral("http://api.example/quota/{item}");
    s.concurrency = concurrency;
    s.autoRate = rate;
    return s;
}

struct Outcome {
    fetch::BatchSummary summary;
    double settledRate = 0; ///< accepted/s after the first 10 virtual seconds
    qint64 requests = 0;
    qint64 refused = 0;
};

QString describe(const Outcome &o) {
    return QStringLiteral("%1 requests, %2 refused, settled at %3/s: %4")
        .arg(o.requests)
        .arg(o.refused)
        .arg(o.settledRate, 0, 'f', 2)
        .arg(o.summary.line());
}
Outcome runAgainstQuota(const fetch::BatchSpec &spec, int perSecond, demo::QuotaAnnounce style) {
    async::VirtualClock clock;
    test::QuotaTransport server(clock, perSecond, style);
    fetch::BatchRunner runner(server, clock);
    Outcome o;
    o.summary = drive(runner.run(spec), &clock).value();
    o.settledRate = server.acceptedRateFrom(10'000);
    o.refused = qint64(server.refused().size());
    o.requests = qint64(server.accepted().size()) + o.refused;
    QStringList refusedAt;
    for (const qint64 t : server.refused())
        refusedAt << QString::number(double(t) / 1000.0, 'f', 2);
    qInfo().noquote() << describe(o) << "| refused at (s):" << refusedAt.join(u' ');
    return o;
}

} // namespace

class TestPoliteRate : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Without a rate the batch finds the limit the hard way: most requests are refused.
    void withoutARateMostRequestsAreRefused() {
        const auto o =
            runAgainstQuota(quotaSpec(100, 20, std::nullopt), 10, demo::QuotaAnnounce::None);
        QCOMPARE(o.summary.ok, 100);
        QVERIFY2(o.refused > 20, qPrintable(describe(o)));
        QCOMPARE(o.summary.throttled, int(o.refused));
    }

    // The target: 500 items at concurrency 20 against 10/s, nothing announced: at most
    // 3% of requests refused, and at least 0.9 × 10/s once settled; and the same for a slower and
    // a faster server.
    void learnsAnUnannouncedLimit_data() {
        QTest::addColumn<int>("perSecond");
        QTest::newRow("10/s") << 10;
        QTest::newRow("2/s") << 2;
        QTest::newRow("50/s") << 50;
    }
    void learnsAnUnannouncedLimit() {
        QFETCH(int, perSecond);
        // At least 500 items, and at least 50 s of them: the settled rate needs time to show.
        const int items = std::max(500, 50 * perSecond);
        const auto o = runAgainstQuota(quotaSpec(items, 20, async::AutoRateBounds{}), perSecond,
                                       demo::QuotaAnnounce::None);
        QCOMPARE(o.summary.ok, items);
        QVERIFY2(double(o.refused) <= 0.03 * double(o.requests), qPrintable(describe(o)));
        QVERIFY2(o.settledRate >= 0.9 * perSecond, qPrintable(describe(o)));
        QCOMPARE(o.summary.throttled, int(o.refused));
    }

    // A server that announces its limit is obeyed before any 429, in each form servers use.
    void obeysAnAnnouncedLimit_data() {
        QTest::addColumn<int>("style");
        QTest::newRow("RateLimit-*") << int(demo::QuotaAnnounce::Draft);
        QTest::newRow("RateLimit") << int(demo::QuotaAnnounce::Combined);
        QTest::newRow("X-RateLimit-*") << int(demo::QuotaAnnounce::GitHub);
    }
    void obeysAnAnnouncedLimit() {
        QFETCH(int, style);
        const auto o = runAgainstQuota(quotaSpec(500, 20, async::AutoRateBounds{}), 10,
                                       demo::QuotaAnnounce(style));
        QCOMPARE(o.summary.ok, 500);
        QVERIFY2(o.refused == 0, qPrintable(describe(o)));
        QVERIFY2(o.settledRate >= 0.8 * 10, qPrintable(describe(o)));
    }

    // The user's bounds hold whatever the server allows.
    void staysWithinTheUsersBounds() {
        const auto o = runAgainstQuota(quotaSpec(200, 20, async::AutoRateBounds{0, 4}), 10,
                                       demo::QuotaAnnounce::None);
        QCOMPARE(o.summary.ok, 200);
        QCOMPARE(o.refused, qint64(0));
        QVERIFY2(o.settledRate <= 4.05, qPrintable(describe(o)));
        QVERIFY2(o.settledRate >= 3.8, qPrintable(describe(o)));
    }
};

QTEST_GUILESS_MAIN(TestPoliteRate)
#include "tst_politerate.moc"
