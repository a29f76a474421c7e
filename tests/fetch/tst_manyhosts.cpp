// SPDX-License-Identifier: Apache-2.0
// A batch over many hosts on a VirtualClock (issue 17's "thousand hosts", scaled down): per-host
// limits, hosts that say 429 for a while, and a dead host, none of which may hold up the others.
#include "asynctest.h"
#include "hoststransport.h"

#include "fetch/batchrunner.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace std::chrono_literals;
using namespace vigil;
using vigil::test::drive;

namespace {
/// @p perHost items for each of @p hosts hosts, taking turns: host 1, 2, … H, 1, 2, …
fetch::BatchSpec fanOut(int hosts, int perHostItems) {
    fetch::BatchSpec s;
    s.urlTemplate = QStringLiteral("{item}");
    for (int i = 0; i < hosts * perHostItems; ++i)
        s.items << QStringLiteral("http://%1:8080/hosts/%2")
                       .arg(demo::demoHostAddress(1 + i % hosts))
                       .arg(i);
    return s;
}
} // namespace

class TestManyHosts : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // 200 hosts at 5 requests/s each and 2 at a time, 300 ms per answer; every tenth host says
    // 429 from 2 s to 7 s. The open hosts need 180 × 5/s × 0.3 s = 270 requests in flight, and
    // 260 slots give 96 % of that; if the 40 slots the down hosts held waited out their pauses,
    // 220 would be left (81 %). A slot parks its item instead and takes an open host's.
    void downHostsNeverHoldUpTheOpenOnes() {
        async::VirtualClock clock;
        demo::OutagePlan plan;
        plan.every = 10;
        plan.fromMs = 2000;
        plan.toMs = 7000;
        test::HostsTransport server(clock, plan, 300ms);
        auto spec = fanOut(200, 50);
        spec.concurrency = 260;
        spec.perHost = 2;
        spec.ratePerHost = 5;
        fetch::BatchRunner runner(server, clock);
        long long mostHeld = 0;
        int mostHeldHosts = 0;
        QObject::connect(&runner, &fetch::BatchRunner::itemFinished, &runner,
                         [&](const fetch::ItemResult &) {
                             mostHeld = std::max(mostHeld, runner.counters()->held.load());
                             mostHeldHosts = std::max(mostHeldHosts, runner.held().hosts);
                         });
        const auto summary = drive(runner.run(spec), &clock).value();
        QCOMPARE(summary.ok, 10000);
        QVERIFY(mostHeld > 0 && mostHeldHosts > 0); // for /metrics and the progress line
        QCOMPARE(runner.counters()->held.load(), 0LL);
        QCOMPARE(runner.held().items, std::size_t(0));
        QCOMPARE(server.outages().early(), qint64(0)); // no request to a paused host
        QVERIFY(server.outages().refused() > 0);
        QVERIFY(server.peakPerHost() <= 2);
        QVERIFY2(server.busiestSecond() <= 6, qPrintable(QString::number(server.busiestSecond())));
        // The open hosts allow 180 × 5/s; the first second of the outage is the 429s arriving.
        const qint64 accepted = server.outages().acceptedBetween(3000, 7000);
        const double allowed = 180 * 5 * 4.0;
        qInfo("accepted during the outage: %lld of %.0f allowed (%.3f); %s", accepted, allowed,
              double(accepted) / allowed, qPrintable(summary.line()));
        QVERIFY(double(accepted) >= 0.9 * allowed);
    }

    // A host that refuses every connection trips the breaker after three failures in a row; the
    // other hosts finish meanwhile, and after three time-outs its last items fail unsent.
    void aDeadHostIsPutInATimeOutWhileTheOthersFinish() {
        async::VirtualClock clock;
        test::HostsTransport server(clock, demo::OutagePlan{});
        server.dead.insert(3);
        auto spec = fanOut(5, 20);
        spec.concurrency = 10;
        spec.perHost = 1;
        spec.retries = 0;
        spec.breaker.failures = 3;
        fetch::BatchRunner runner(server, clock);
        qint64 lastOpenHostMs = 0;
        QStringList deadErrors;
        QObject::connect(&runner, &fetch::BatchRunner::itemFinished, &runner,
                         [&](const fetch::ItemResult &r) {
                             if (r.item.contains(demo::demoHostAddress(3) + u':'))
                                 deadErrors << r.error;
                             else
                                 lastOpenHostMs = qint64(async::toMs(clock.elapsed()));
                         });
        const auto summary = drive(runner.run(spec), &clock).value();
        QCOMPARE(summary.ok, 80);
        QCOMPARE(summary.failed, 20);
        QCOMPARE(server.refusedConnections(), 6); // 3 in a row, then 3 probes
        QCOMPARE(deadErrors.filter(QStringLiteral("circuit breaker")).size(), 14);
        QVERIFY2(lastOpenHostMs < 10000, qPrintable(QString::number(lastOpenHostMs)));
        QVERIFY(clock.elapsed() >= 70s); // 10 + 20 + 40 s of time-outs
    }

    // URL items carry their secrets to the server only: results and the journal name them
    // redacted, and a rerun still knows which are done.
    void urlItemsAreJournaledWithoutTheirSecrets() {
        async::VirtualClock clock;
        test::HostsTransport server(clock, demo::OutagePlan{});
        fetch::BatchSpec spec;
        spec.urlTemplate = QStringLiteral("{item}");
        for (int i = 0; i < 4; ++i)
            spec.items << QStringLiteral("http://ann:pw-%1@%2:8080/hosts/%1?api_key=SECRET-%1&n=%1")
                              .arg(i)
                              .arg(demo::demoHostAddress(1 + i % 2));
        QTemporaryDir dir;
        const QString journal = dir.filePath(QStringLiteral("urls.jsonl"));
        fetch::BatchRunner runner(server, clock);
        QStringList items;
        QObject::connect(&runner, &fetch::BatchRunner::itemFinished, &runner,
                         [&](const fetch::ItemResult &r) { items << r.item; });
        QCOMPARE(drive(runner.run(spec, journal), &clock).value().ok, 4);
        QFile file(journal);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY2(!written.contains("SECRET") && !written.contains("pw-"), written.constData());
        for (const auto &item : items)
            QVERIFY2(item.contains(u"api_key=REDACTED") && !item.contains(u"ann"),
                     qPrintable(item));
        const auto again = drive(runner.run(spec, journal), &clock).value();
        QCOMPARE(again.skipped, 4);
    }
};

QTEST_GUILESS_MAIN(TestManyHosts)
#include "tst_manyhosts.moc"
