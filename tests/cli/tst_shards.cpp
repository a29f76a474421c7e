// SPDX-License-Identifier: Apache-2.0
// A sharded batch as a job array runs it: N `vigil fetch --shard k/N` processes against the demo
// server, their journals merged, one shard killed and rerun.
#include "demofixture.h"
#include "promtool.h"

#include "fetch/journal.h"
#include "fetch/shard.h"

#include <QDir>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>

#include <csignal>

using namespace vigil;

namespace {
void startVigil(QProcess &p, const QStringList &args, const QProcessEnvironment &extra = {}) {
    auto env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    for (const QString &k : extra.keys())
        env.insert(k, extra.value(k));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(VIGIL_BINARY), args);
}

/// Waits for @p p while the event loop runs (the demo server lives in this process).
bool finish(QProcess &p, int ms = 60000) {
    QElapsedTimer t;
    t.start();
    while (p.state() != QProcess::NotRunning && t.elapsed() < ms)
        test::spin(std::chrono::milliseconds(20));
    return p.state() == QProcess::NotRunning;
}

fetch::JournalContents readJournal(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? fetch::parseJournal(f.readAll())
                                       : fetch::JournalContents{};
}

QSet<QString> okItems(const QString &path) {
    QSet<QString> out;
    for (const auto &r : readJournal(path).results) {
        if (r.status == fetch::ItemStatus::Ok)
            out.insert(r.item);
    }
    return out;
}
} // namespace

class TestShards : public QObject {
    Q_OBJECT
    test::DemoFixture m_demo;
    QTemporaryDir m_dir;

    QStringList fetchArgs(const QString &shardFlag, const QString &journal, int count, int ms) {
        QStringList args{QStringLiteral("fetch"),
                         QStringLiteral("--template"),
                         m_demo->baseUrl().toString() +
                             QStringLiteral("/item/{item}?ms=%1").arg(ms),
                         QStringLiteral("--count"),
                         QString::number(count),
                         QStringLiteral("--out"),
                         m_dir.filePath(journal),
                         QStringLiteral("--quiet")};
        if (!shardFlag.isEmpty())
            args << QStringLiteral("--shard") << shardFlag;
        return args;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_demo.start(3)); }
    void init() { m_demo->resetStats(); }

    void fourShardsMergeIntoEveryItemOnce() {
        QProcess shards[4];
        for (int k = 0; k < 4; ++k)
            startVigil(shards[k], fetchArgs(QStringLiteral("%1/4").arg(k),
                                            QStringLiteral("four-%1.jsonl").arg(k), 400, 5));
        QSet<QString> seen;
        for (int k = 0; k < 4; ++k) {
            QVERIFY(finish(shards[k]));
            QCOMPARE(shards[k].exitCode(), 0);
            const QSet<QString> part =
                okItems(m_dir.filePath(QStringLiteral("four-%1.jsonl").arg(k)));
            QVERIFY(part.size() > 50);
            QVERIFY(!part.intersects(seen));
            seen.unite(part);
        }
        QCOMPARE(seen.size(), 400);
        QCOMPARE(m_demo->requestCount(), 400); // no item was fetched by two shards
        QProcess merge;
        QStringList args{QStringLiteral("journal"), QStringLiteral("merge")};
        for (int k = 0; k < 4; ++k)
            args << m_dir.filePath(QStringLiteral("four-%1.jsonl").arg(k));
        args << QStringLiteral("--out") << m_dir.filePath(QStringLiteral("all.jsonl"));
        startVigil(merge, args);
        QVERIFY(finish(merge));
        QCOMPARE(merge.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(merge.readAllStandardOutput()).trimmed(),
                 QStringLiteral("merged journals=4 items=400 ok=400 not_ok=0 duplicates=0 "
                                "conflicts=0"));
        const auto all = readJournal(m_dir.filePath(QStringLiteral("all.jsonl")));
        QCOMPARE(all.results.size(), 400);
        QSet<QString> once;
        for (const auto &r : all.results)
            once.insert(r.item);
        QCOMPARE(once.size(), 400);
    }

    void aKilledShardRerunFetchesOnlyWhatItsJournalLacks() {
        QProcess shard;
        QStringList args =
            fetchArgs(QStringLiteral("1/4"), QStringLiteral("killed.jsonl"), 400, 150);
        args << QStringLiteral("--concurrency") << QStringLiteral("4")
             << QStringLiteral("--metrics-port") << QStringLiteral("0");
        startVigil(shard, args);
        // Its /metrics, while it runs: which shard, and how many items it has.
        QString url;
        QElapsedTimer wait;
        wait.start();
        QString stderrText;
        while (url.isEmpty() && wait.elapsed() < 20000) {
            test::spin(std::chrono::milliseconds(20));
            stderrText += QString::fromUtf8(shard.readAllStandardError());
            static const QRegularExpression serving(QStringLiteral("serving metrics at (\\S+)"));
            url = serving.match(stderrText).captured(1);
        }
        QVERIFY2(!url.isEmpty(), qPrintable(stderrText));
        const auto scrape = test::httpGet(QUrl(url));
        QCOMPARE(scrape.status, 200);
        QVERIFY(scrape.body.contains("\nvigil_shard_info{shard=\"1\",shards=\"4\"} 1\n"));
        QVERIFY(scrape.body.contains("\nvigil_batch_items_planned_total "));
        QCOMPARE(test::promtoolProblems(scrape.body), QString());

        const QString path = m_dir.filePath(QStringLiteral("killed.jsonl"));
        QTRY_VERIFY_WITH_TIMEOUT(okItems(path).size() >= 20, 30000);
        ::kill(pid_t(shard.processId()), SIGKILL);
        QVERIFY(finish(shard));
        const qsizetype done = okItems(path).size();
        QVERIFY(done < 90); // killed part way through its ~100 items

        m_demo->resetStats();
        QProcess rerun;
        startVigil(rerun, fetchArgs(QStringLiteral("1/4"), QStringLiteral("killed.jsonl"), 400, 150)
                              << QStringLiteral("--concurrency") << QStringLiteral("50"));
        QVERIFY(finish(rerun));
        QCOMPARE(rerun.exitCode(), 0);
        const qsizetype all = okItems(path).size();
        QCOMPARE(m_demo->requestCount(), all - done); // only the missing ones
        QVERIFY(all > done);
    }

    void shardsSharingAFolderNeverWriteTheSameFile() {
        // Two URLs that both name "1000", in different shards: alone, each shard would save
        // its own as 1000.
        const QString base = m_demo->baseUrl().toString() + QStringLiteral("/bytes/1000");
        QStringList urls{base};
        for (int i = 0; urls.size() < 2; ++i) {
            const QString other = base + QStringLiteral("?variant=%1").arg(i);
            if (fetch::inShard(QUrl(other).toString(QUrl::FullyEncoded), {1, 2}) !=
                fetch::inShard(QUrl(base).toString(QUrl::FullyEncoded), {1, 2}))
                urls << other;
        }
        const QString folder = m_dir.filePath(QStringLiteral("shared"));
        QProcess shards[2];
        for (int k = 0; k < 2; ++k)
            startVigil(shards[k],
                       QStringList{QStringLiteral("download"), QStringLiteral("--out"), folder,
                                   QStringLiteral("--shard"), QStringLiteral("%1/2").arg(k),
                                   QStringLiteral("--quiet")}
                           << urls);
        for (auto &p : shards) {
            QVERIFY(finish(p));
            QCOMPARE(p.exitCode(), 0);
        }
        const QStringList files = QDir(folder).entryList(QDir::Files);
        QCOMPARE(files.size(), 2);
        QVERIFY2(files.contains(QStringLiteral("1000")), qPrintable(files.join(u',')));
    }

    void ctrlCWhileLingeringKeepsTheRunsExitCode() {
        QProcess shard;
        startVigil(shard, fetchArgs(QStringLiteral("0/4"), QStringLiteral("linger.jsonl"), 40, 0)
                              << QStringLiteral("--metrics-port") << QStringLiteral("0")
                              << QStringLiteral("--metrics-linger") << QStringLiteral("60"));
        QString said;
        QElapsedTimer t;
        t.start();
        while (!said.contains(QLatin1String("keeping")) && t.elapsed() < 20000) {
            test::spin(std::chrono::milliseconds(20));
            said += QString::fromUtf8(shard.readAllStandardError());
        }
        QVERIFY2(said.contains(QLatin1String("for a last scrape")), qPrintable(said));
        ::kill(pid_t(shard.processId()), SIGINT);
        QVERIFY(finish(shard, 10000));
        QCOMPARE(shard.exitCode(), 0); // the batch was whole: not 130
    }

    void theGuiRefusesMetricsFlagsThatCannotWork() {
        QProcessEnvironment offscreen;
        offscreen.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        offscreen.insert(QStringLiteral("HOME"), m_dir.filePath(QStringLiteral("home")));
        for (const QStringList &args :
             {QStringList{QStringLiteral("--metrics-address"), QStringLiteral("0.0.0.0")},
              QStringList{QStringLiteral("--metrics-port"), QStringLiteral("http")},
              QStringList{QStringLiteral("--metrics-port"), QStringLiteral("0"),
                          QStringLiteral("--metrics-address"), QStringLiteral("everywhere")}}) {
            QProcess gui;
            startVigil(gui, args, offscreen);
            QVERIFY(finish(gui, 20000));
            QCOMPARE(gui.exitCode(), 2);
            QVERIFY(
                QString::fromUtf8(gui.readAllStandardError()).contains(QLatin1String("--metrics")));
        }
    }

    void aJobArraysEnvironmentPicksTheSameShard() {
        QProcess byFlag;
        startVigil(byFlag, fetchArgs(QStringLiteral("2/4"), QStringLiteral("flag.jsonl"), 100, 0));
        QVERIFY(finish(byFlag));
        QProcessEnvironment k8s;
        k8s.insert(QStringLiteral("JOB_COMPLETION_INDEX"), QStringLiteral("2"));
        QProcess indexed;
        startVigil(indexed,
                   fetchArgs({}, QStringLiteral("k8s.jsonl"), 100, 0)
                       << QStringLiteral("--shards") << QStringLiteral("4"),
                   k8s);
        QVERIFY(finish(indexed));
        QProcessEnvironment slurm; // --array=1-4: task 3 is the third shard, index 2
        slurm.insert(QStringLiteral("SLURM_ARRAY_TASK_ID"), QStringLiteral("3"));
        slurm.insert(QStringLiteral("SLURM_ARRAY_TASK_MIN"), QStringLiteral("1"));
        slurm.insert(QStringLiteral("SLURM_ARRAY_TASK_COUNT"), QStringLiteral("4"));
        QProcess array;
        startVigil(array, fetchArgs(QStringLiteral("auto"), QStringLiteral("slurm.jsonl"), 100, 0),
                   slurm);
        QVERIFY(finish(array));
        const QSet<QString> expected = okItems(m_dir.filePath(QStringLiteral("flag.jsonl")));
        QVERIFY(!expected.isEmpty());
        QCOMPARE(okItems(m_dir.filePath(QStringLiteral("k8s.jsonl"))), expected);
        QCOMPARE(okItems(m_dir.filePath(QStringLiteral("slurm.jsonl"))), expected);
        QCOMPARE(readJournal(m_dir.filePath(QStringLiteral("slurm.jsonl")))
                     .header->value(QStringLiteral("shard"))
                     .toString(),
                 QStringLiteral("2/4"));
    }
};

QTEST_GUILESS_MAIN(TestShards)
#include "tst_shards.moc"
