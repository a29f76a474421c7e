// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/looplagprobe.h"
#include "demo/demodata.h"
#include "demofixture.h"
#include "fetch/batchrunner.h"
#include "fetch/journal.h"
#include "net/httpclient.h"

#include <QFile>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cmath>
#include <csignal>

#include <sys/resource.h>
#include <sys/stat.h>

using namespace std::chrono_literals;
using namespace vigil;
using fetch::BatchSpec;
using fetch::ItemStatus;
using vigil::test::drive;

class TestBatchRunner : public QObject {
    Q_OBJECT
    test::DemoFixture m_server;
    net::HttpClient *m_client = nullptr;
    fetch::BatchRunner *m_runner = nullptr;
    QList<fetch::ItemResult> m_results;
    QTemporaryDir m_dir;

    BatchSpec spec(const QString &pathTemplate, int n) {
        BatchSpec s;
        s.urlTemplate = m_server->baseUrl().toString() + pathTemplate;
        for (int i = 0; i < n; ++i)
            s.items << QString::number(i);
        return s;
    }

    fetch::BatchSummary run(const BatchSpec &s, const QString &journal = {}) {
        const auto outcome = drive(m_runner->run(s, journal));
        if (!outcome.isOk())
            qFatal("batch failed to run: %s", qPrintable(outcome.errorMessage()));
        return outcome.value();
    }

    /// Cancels the batch when its @p n-th item comes back ok.
    void cancelAfterOk(int n) {
        auto okSeen = std::make_shared<int>(0);
        connect(m_runner, &fetch::BatchRunner::itemFinished, m_runner,
                [runner = m_runner, okSeen, n](const fetch::ItemResult &r) {
                    if (r.status == ItemStatus::Ok && ++*okSeen == n)
                        runner->cancel();
                });
    }

    static fetch::JournalContents readJournal(const QString &path) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            qFatal("cannot read journal %s", qPrintable(path));
        return fetch::parseJournal(f.readAll());
    }

    static int maxInAnyWindow(QList<qint64> times, qint64 windowMs) {
        std::sort(times.begin(), times.end());
        int best = 0;
        for (qsizetype i = 0, j = 0; i < times.size(); ++i) {
            while (times[i] - times[j] >= windowMs)
                ++j;
            best = std::max(best, int(i - j + 1));
        }
        return best;
    }

private Q_SLOTS:
    void init() {
        QVERIFY(m_server.start(11));
        m_client = new net::HttpClient(async::Clock::system(), this);
        m_runner = new fetch::BatchRunner(*m_client, async::Clock::system(), this);
        m_results.clear();
        connect(m_runner, &fetch::BatchRunner::itemFinished, this,
                [this](const fetch::ItemResult &r) { m_results << r; });
    }

    void cleanup() {
        delete m_runner;
        delete m_client;
        m_server.stop();
    }

    void concurrencyLimitIsNeverExceeded_data() {
        QTest::addColumn<int>("concurrency");
        QTest::newRow("one at a time") << 1;
        QTest::newRow("seven (past one manager's six)") << 7;
        QTest::newRow("forty") << 40;
    }

    void concurrencyLimitIsNeverExceeded() {
        QFETCH(int, concurrency);
        auto s = spec(QStringLiteral("/item/{item}?ms=40"), concurrency * 3);
        s.concurrency = concurrency;
        const auto summary = run(s);
        QCOMPARE(summary.ok, concurrency * 3);
        QCOMPARE(m_server->peakInFlight(), concurrency); // reached, never exceeded
    }

    void resultsStreamInCompletionOrder() {
        // The item is the server-side delay, so completion order differs from submission order.
        BatchSpec s = spec(QStringLiteral("/item/i?ms={item}"), 0);
        s.items = {QStringLiteral("300"), QStringLiteral("50"), QStringLiteral("150")};
        s.concurrency = 3;
        run(s);
        QCOMPARE(m_results.size(), 3);
        QCOMPARE(m_results[0].item, QStringLiteral("50"));
        QCOMPARE(m_results[1].item, QStringLiteral("150"));
        QCOMPARE(m_results[2].item, QStringLiteral("300"));
        QCOMPARE(m_results[2].rank, 3);
        QCOMPARE(m_results[2].index, 0);
    }

    void rateLimitHoldsAtTheServer() {
        auto s = spec(QStringLiteral("/item/{item}?ms=0"), 25);
        s.concurrency = 25;
        s.ratePerHost = 20;
        QElapsedTimer wall;
        wall.start();
        QCOMPARE(run(s).ok, 25);
        QVERIFY(wall.elapsed() >= 1100); // 25 requests at 20/s, burst 1
        QVERIFY2(maxInAnyWindow(m_server->arrivals(QStringLiteral("/item")), 1000) <= 20 + 1,
                 qPrintable(QString::number(
                     maxInAnyWindow(m_server->arrivals(QStringLiteral("/item")), 1000))));
    }

    void retryAfterPausesTheWholeHost_data() {
        QTest::addColumn<QString>("format");
        QTest::newRow("delay-seconds") << QString();
        QTest::newRow("HTTP-date") << QStringLiteral("&format=date");
    }

    void retryAfterPausesTheWholeHost() {
        QFETCH(QString, format);
        auto s = spec(QStringLiteral("/limited/{item}?rps=3") + format, 8);
        s.concurrency = 8;
        s.retries = 8;
        const auto summary = run(s);
        QCOMPARE(summary.ok, 8);
        // The first wave: 8 arrivals at once, 3 accepted and 5 answered 429 with Retry-After >= 1
        // s. Honouring it for the whole host means a silent second after that wave.
        auto times = m_server->arrivals(QStringLiteral("/limited"));
        std::sort(times.begin(), times.end());
        QVERIFY(times.size() > 8);
        const qint64 firstWaveEnd = times[7];
        QVERIFY2(
            times[8] - firstWaveEnd >= 900,
            qPrintable(QStringLiteral("next request after %1 ms").arg(times[8] - firstWaveEnd)));
        for (const auto &r : m_results)
            QVERIFY(r.attempts >= 1);
    }

    // Issue 12 point 7: a 429 storm is the server's pacing. Ten items at once, and the host
    // answers the first three waves (30 requests) 429 + Retry-After: 20; with the default 2
    // retries, each item must still end ok, after 60 s of (virtual) waiting.
    void defaultsRideOutA429Storm() {
        async::VirtualClock clock; // for the waits; the requests are real
        fetch::BatchRunner runner(*m_client, clock);
        auto s = spec(QStringLiteral("/fail-first/{item}?n=30&retry-after=20&group=storm"), 10);
        s.concurrency = 10;
        const auto started = clock.now();
        const auto summary = drive(runner.run(s), &clock).value();
        QCOMPARE(summary.failed, 0);
        QCOMPARE(summary.ok, 10);
        QCOMPARE(summary.rateLimited, 0);
        QVERIFY(summary.rateLimitAdvice(QStringLiteral("--rate"), QStringLiteral("--max-wait"))
                    .isEmpty());
        QCOMPARE(m_server->requestCount(), qint64(40));
        QCOMPARE(clock.now() - started, async::Clock::Duration(60s));
    }

    // When the server's waits do not fit (no waiting allowed here), the items fail with 429 and
    // the advice names the settings that help.
    void itemsRefusedWith429AdviseARateLimit() {
        auto s = spec(QStringLiteral("/limited/{item}?rps=2"), 6);
        s.concurrency = 6;
        s.maxServerWait = 0s;
        const auto summary = run(s);
        QCOMPARE(summary.ok, 2);
        QCOMPARE(summary.failed, 4);
        QCOMPARE(summary.rateLimited, 4);
        const QString advice =
            summary.rateLimitAdvice(QStringLiteral("--rate R"), QStringLiteral("--max-wait S"));
        QVERIFY2(advice.startsWith(QStringLiteral("4 item(s) failed with HTTP 429")),
                 qPrintable(advice));
        QVERIFY(advice.contains(QStringLiteral("--rate R")));
        QVERIFY(advice.contains(QStringLiteral("--max-wait S")));
    }

    // Issue 12 point 8: ten items at once through a 10/s rate limit wait about 0, 100, … 900 ms
    // for their turn, on an endpoint that answers at once. That is queue time, reported apart:
    // latency stays the request's own, in the results, the summary and the journal.
    void latencyLeavesOutTheClientsQueue() {
        auto s = spec(QStringLiteral("/item/{item}?ms=0"), 10);
        s.concurrency = 10;
        s.ratePerHost = 10;
        const QString journal = m_dir.filePath(QStringLiteral("queued.jsonl"));
        const auto summary = run(s, journal);
        QCOMPARE(summary.ok, 10);
        const QString line = summary.line();
        QVERIFY2(summary.p50Ms < 200, qPrintable(line)); // was ~400: the queue's median
        QVERIFY2(summary.queueP50Ms >= 350 && summary.queueP95Ms >= 850, qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral(" queue_p50_ms=%1 queue_p95_ms=%2")
                                   .arg(summary.queueP50Ms, 0, 'f', 1)
                                   .arg(summary.queueP95Ms, 0, 'f', 1)),
                 qPrintable(line));
        double longestQueue = 0;
        for (const auto &r : m_results) {
            QVERIFY2(r.latencyMs < 200, qPrintable(QString::number(r.latencyMs)));
            longestQueue = std::max(longestQueue, r.queuedMs);
            // The timeline splits the same times into phases, on the wire and in Vigil.
            QCOMPARE(r.timeline.size(), 1);
            const fetch::AttemptPhases &a = r.timeline.first();
            QVERIFY(a.exchange.measured);
            QCOMPARE(a.status, 200);
            QVERIFY2(std::abs(a.waitsMs() - r.queuedMs) < 2,
                     qPrintable(QString::number(a.waitsMs())));
            QVERIFY2(std::abs(a.exchange.totalMs() - r.latencyMs) < 20,
                     qPrintable(QString::number(a.exchange.totalMs())));
        }
        QVERIFY(longestQueue >= 850);
        double journaled = 0;
        for (const auto &r : readJournal(journal).results)
            journaled = std::max(journaled, r.queuedMs);
        QCOMPARE(journaled, longestQueue);
    }

    void hangTimesOutAtTheDeadline() {
        auto s = spec(QStringLiteral("/hang?{item}"), 2);
        s.timeout = 300ms;
        s.retries = 0;
        const auto summary = run(s);
        QCOMPARE(summary.timeout, 2);
        for (const auto &r : m_results) {
            QCOMPARE(r.status, ItemStatus::Timeout);
            QVERIFY(r.latencyMs >= 290 && r.latencyMs < 3000);
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_server->inFlight(), 0, 5000);
    }

    void collectAllKeepsGoingAndReportsErrorsInPlace() {
        auto s = spec(QStringLiteral("/{item}"), 0);
        s.items = {QStringLiteral("bad-json"), QStringLiteral("redirect-loop"),
                   QStringLiteral("nothing-here")};
        s.items.append(QStringLiteral("sensors"));
        s.fields = {{QStringLiteral("n"), QStringLiteral("/sensors/0/name")}};
        s.retries = 0;
        const auto summary = run(s);
        QCOMPARE(summary.ok, 1);
        QCOMPARE(summary.failed, 3);
        QHash<QString, QString> errors;
        for (const auto &r : m_results)
            errors.insert(r.item, r.error);
        QVERIFY(errors[QStringLiteral("bad-json")].startsWith(QStringLiteral("bad JSON")));
        QVERIFY(errors[QStringLiteral("redirect-loop")].contains(QStringLiteral("redirects")));
        QVERIFY(errors[QStringLiteral("nothing-here")].contains(QStringLiteral("404")));
    }

    void failFastCancelsTheOthers() {
        auto failing = spec(QStringLiteral("/flaky/{item}?p=1"), 30);
        failing.concurrency = 5;
        failing.retries = 0;
        failing.failFast = true;
        const auto summary = run(failing);
        QVERIFY(summary.failed >= 1);
        QVERIFY(summary.cancelled >= 20);
        QVERIFY(summary.failed + summary.cancelled + summary.ok == 30);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->inFlight(), 0, 5000);
    }

    void cancelKeepsFinishedResultsAndLeavesNothingInFlight() {
        const QString journal = m_dir.filePath(QStringLiteral("cancel.jsonl"));
        auto s = spec(QStringLiteral("/item/{item}?ms=150"), 200);
        s.concurrency = 10;
        cancelAfterOk(25); // an event, not a wall-clock guess: holds on a loaded machine
        const auto summary = run(s, journal);
        QVERIFY(summary.ok >= 25);
        QVERIFY(summary.cancelled > 0);
        QCOMPARE(summary.ok + summary.cancelled, 200);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->inFlight(), 0, 5000);
        QCOMPARE(m_client->inFlight(), 0);
        const auto contents = readJournal(journal);
        const auto okInJournal =
            std::count_if(contents.results.begin(), contents.results.end(),
                          [](const auto &r) { return r.status == ItemStatus::Ok; });
        QCOMPARE(int(okInJournal), summary.ok);
    }

    void rerunResumesFromTheJournal() {
        const QString journal = m_dir.filePath(QStringLiteral("resume.jsonl"));
        auto s = spec(QStringLiteral("/item/{item}?ms=100"), 60);
        s.concurrency = 10;
        cancelAfterOk(20);
        const auto first = run(s, journal);
        QVERIFY(first.ok > 0 && first.ok < 60);
        // A crash mid-write leaves half a line; the rerun must shrug it off.
        {
            QFile f(journal);
            QVERIFY(f.open(QIODevice::Append));
            f.write("{\"index\": 59, \"item\": \"59\", \"sta");
        }
        m_server->resetStats();
        const auto second = run(s, journal);
        QCOMPARE(second.skipped, first.ok);
        QCOMPARE(second.ok, 60 - first.ok);
        QCOMPARE(m_server->requestCount(), qint64(60 - first.ok));
        const auto contents = readJournal(journal);
        QSet<QString> ok;
        for (const auto &r : contents.results) {
            if (r.status == ItemStatus::Ok)
                ok.insert(r.item);
        }
        QCOMPARE(ok.size(), 60);
        QCOMPARE(second.unreadableJournalLines, 1);
        QCOMPARE(contents.unreadableLines, 0); // the torn tail was cut off, not kept
    }

    // A full disk can cut a record right before its newline. The run reported it unsaved, so the
    // rerun fetches that item again, and the journal must then hold it once, not twice.
    void recordCutBeforeItsNewlineIsFetchedAgainAndJournalledOnce() {
        const QString journal = m_dir.filePath(QStringLiteral("torn.jsonl"));
        const auto s = spec(QStringLiteral("/item/{item}?ms=0"), 5);
        QCOMPARE(run(s, journal).ok, 5);
        QFile f(journal);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(f.size() - 1)); // the last record loses only its newline
        f.close();
        m_server->resetStats();
        const auto second = run(s, journal);
        QCOMPARE(second.skipped, 4);
        QCOMPARE(second.ok, 1);
        QCOMPARE(m_server->requestCount(), qint64(1));
        const auto contents = readJournal(journal);
        QCOMPARE(contents.results.size(), 5);
        QSet<QString> items;
        for (const auto &r : contents.results)
            items.insert(r.item);
        QCOMPARE(items.size(), 5);
        QCOMPARE(contents.unreadableLines, 0);
    }

    void journalForAnotherTemplateIsRefused() {
        const QString journal = m_dir.filePath(QStringLiteral("other.jsonl"));
        run(spec(QStringLiteral("/item/{item}?ms=0"), 2), journal);
        const auto outcome =
            drive(m_runner->run(spec(QStringLiteral("/kinetics/{item}"), 2), journal));
        QVERIFY(outcome.failedWith<fetch::BatchSetupError>());
        QVERIFY(outcome.errorMessage().contains(QStringLiteral("different URL template")));
    }

    // A full disk, made without root: past RLIMIT_FSIZE a write fails with EFBIG, as on a full
    // filesystem with ENOSPC (SIGXFSZ ignored so the process is told, not killed).
    void journalWriteErrorStopsTheBatchAndKeepsNothingUnwritten() {
        const QString journal = m_dir.filePath(QStringLiteral("full.jsonl"));
        auto s = spec(QStringLiteral("/item/{item}?ms=0"), 400);
        s.concurrency = 4;
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit old{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
        rlimit small = old;
        small.rlim_cur = 4096; // the header and a few lines
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
        const auto restore = qScopeGuard([&old] { setrlimit(RLIMIT_FSIZE, &old); });
        const auto summary = run(s, journal);
        setrlimit(RLIMIT_FSIZE, &old);
        const auto contents = readJournal(journal);
        const auto okInJournal =
            std::count_if(contents.results.begin(), contents.results.end(),
                          [](const auto &r) { return r.status == ItemStatus::Ok; });
        QCOMPARE(summary.ok, int(okInJournal)); // only what reached the file counts as kept
        QVERIFY2(summary.ok < 400, qPrintable(summary.line()));
        QVERIFY(summary.cancelled > 0); // the batch stopped instead of fetching results to lose
        QVERIFY(summary.unsaved >= 1);
        QVERIFY2(summary.writeError.contains(QStringLiteral("File too large")) &&
                     summary.writeError.contains(journal),
                 qPrintable(summary.writeError));
        const auto unsaved = std::count_if(m_results.begin(), m_results.end(), [](const auto &r) {
            return r.error.startsWith(QStringLiteral("fetched but not saved: "));
        });
        QCOMPARE(int(unsaved), summary.unsaved);
    }

    void journalThatIsNotARegularFileIsRefused_data() {
        QTest::addColumn<QString>("path");
        QTest::newRow("endless device") << QStringLiteral("/dev/zero");
        QTest::newRow("folder") << m_dir.path();
        QTest::newRow("FIFO") << m_dir.filePath(QStringLiteral("fifo"));
    }

    void journalThatIsNotARegularFileIsRefused() {
        QFETCH(QString, path);
        if (path.endsWith(QLatin1String("fifo")) && !QFile::exists(path))
            QCOMPARE(mkfifo(QFile::encodeName(path).constData(), 0600), 0);
        const auto outcome = drive(m_runner->run(spec(QStringLiteral("/item/{item}"), 2), path));
        QVERIFY(outcome.failedWith<fetch::BatchSetupError>());
        QVERIFY2(outcome.errorMessage().contains(QStringLiteral("not a regular file")),
                 qPrintable(outcome.errorMessage()));
        QCOMPARE(m_server->requestCount(), 0);
    }

    void journalKeepsNoUrlSecretsAndIsPrivate() {
        const QString journal = m_dir.filePath(QStringLiteral("private.jsonl"));
        BatchSpec s;
        QUrl base = m_server->baseUrl();
        base.setUserInfo(QStringLiteral("ann:hunter2"));
        s.urlTemplate = base.toString() + QStringLiteral("/item/{item}?ms=0&api_key=k-777");
        s.items = {QStringLiteral("1"), QStringLiteral("2")};
        QCOMPARE(run(s, journal).ok, 2);
        QFile f(journal);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray written = f.readAll();
        QVERIFY(written.contains("api_key=REDACTED"));
        QVERIFY2(!written.contains("hunter2") && !written.contains("k-777"), written.constData());
        QCOMPARE(f.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        QCOMPARE(run(s, journal).skipped, 2); // the redacted header still matches for a resume
    }

    void countOfTenMillionItemsIsNotMaterialized() {
        const auto items = fetch::ItemList::range(fetch::kMaxItems);
        QCOMPARE(items.size(), qsizetype(fetch::kMaxItems));
        QCOMPARE(items.at(fetch::kMaxItems - 1), QStringLiteral("9999999"));
        auto s = spec(QStringLiteral("/item/{item}?ms=0"), 0);
        s.items = fetch::ItemList::range(30);
        const auto summary = run(s);
        QCOMPARE(summary.ok, 30);
        QCOMPARE(m_results.last().url.section(u'?', 0, 0).section(u'/', -1).toInt() < 30, true);
    }

    void invalidSpecIsRefusedBeforeAnyRequest() {
        auto s = spec(QStringLiteral("/item/x"), 3);
        const auto outcome = drive(m_runner->run(s));
        QVERIFY(outcome.failedWith<fetch::BatchSetupError>());
        QVERIFY(outcome.errorMessage().contains(QStringLiteral("{item}")));
        QCOMPARE(m_server->requestCount(), qint64(0));
    }

    void fieldsBecomeColumns() {
        BatchSpec s = spec(QStringLiteral("/compound/{item}?ms=0"), 0);
        s.items = {QStringLiteral("water"), QStringLiteral("caffeine")};
        s.fields = {
            {QStringLiteral("formula"),
             QStringLiteral("/PropertyTable/Properties/0/MolecularFormula")},
            {QStringLiteral("mw"), QStringLiteral("/PropertyTable/Properties/0/MolecularWeight")}};
        QCOMPARE(run(s).ok, 2);
        for (const auto &r : m_results) {
            const auto c = demo::findCompound(r.item);
            QCOMPARE(r.field(QStringLiteral("formula")), QLatin1String(c->formula));
        }
    }

    void kineticsStageMatchesTheAnalyticResultWhileTheLoopStaysResponsive() {
        auto s = spec(QStringLiteral("/kinetics/{item}?ms=5"), 60);
        s.concurrency = 8;
        s.compute = fetch::ComputeStage::Kinetics;
        async::LoopLagProbe probe(5ms, 2000);
        probe.start();
        const auto summary = run(s);
        QCOMPARE(summary.ok, 60);
        for (const auto &r : m_results) {
            const double k = demo::rateConstantFor(r.item);
            QVERIFY(std::abs(r.field(QStringLiteral("C_final")).toDouble() - std::exp(-10 * k)) <
                    1e-6);
        }
        // A loop blocked for the whole batch would tick once or twice and show no lag at all.
        QVERIFY2(probe.stats().count() >= 10, qPrintable(QString::number(probe.stats().count())));
        QVERIFY2(probe.maxMs() < 150, qPrintable(QString::number(probe.maxMs())));
    }
};

QTEST_GUILESS_MAIN(TestBatchRunner)
#include "tst_batchrunner.moc"
