// SPDX-License-Identifier: Apache-2.0
#include "demofixture.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <csignal>

namespace {
struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

// The CLI must work with no display at all, so the environment drops DISPLAY, WAYLAND_DISPLAY
// and the offscreen platform the test runner sets.
void startVigil(QProcess &p, const QStringList &args) {
    auto env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(VIGIL_BINARY), args);
}

Run runVigil(const QStringList &args, int timeoutMs = 60000) {
    QProcess p;
    startVigil(p, args);
    if (!p.waitForFinished(timeoutMs))
        return {};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}
/// The journal's lines; every one must be a whole JSON object.
QList<QByteArray> journalLines(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = f.readAll().split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}
/// The items the journal records as fetched ok, in order (a duplicate means one was refetched).
QStringList okItems(const QString &path) {
    QStringList items;
    for (const QByteArray &line : journalLines(path)) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(QStringLiteral("status")).toString() == QLatin1String("ok"))
            items << o.value(QStringLiteral("item")).toString();
    }
    return items;
}
/// The number after ` key=` in a summary line; -1 when the key is missing or not a number.
double field(const QString &line, const char *key) {
    const QString mark = u' ' + QLatin1String(key) + u'=';
    bool ok = false;
    const double v = line.section(mark, 1).section(u' ', 0, 0).toDouble(&ok);
    return line.contains(mark) && ok ? v : -1.0;
}
} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void versionPrintsTheProjectVersion() {
        const auto r = runVigil({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.trimmed(), QStringLiteral("vigil " VIGIL_VERSION));
    }

    void helpListsTheCommands() {
        const auto r = runVigil({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("bench")));
        QVERIFY(r.out.contains(QStringLiteral("Usage")));
        // The GUI's own options are listed too, though no QApplication exists yet.
        QVERIFY2(r.out.contains(QStringLiteral("--dashboard FILE")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("--demo NAME")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("130")), qPrintable(r.out));
    }

    void helpAfterAGuiOptionNeedsNoDisplay() {
        const auto r = runVigil(
            {QStringLiteral("--dashboard"), QStringLiteral("x.json"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("--demo NAME")), qPrintable(r.out + r.err));
    }

    void commandHelpNamesTheCommandAndItsExitCodes_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<bool>("interruptible");
        QTest::newRow("fetch") << QStringLiteral("fetch") << true;
        QTest::newRow("download") << QStringLiteral("download") << true;
        QTest::newRow("serve-demo") << QStringLiteral("serve-demo") << false;
        QTest::newRow("bench") << QStringLiteral("bench") << false;
    }

    void commandHelpNamesTheCommandAndItsExitCodes() {
        QFETCH(QString, command);
        QFETCH(bool, interruptible);
        const auto r = runVigil({command, QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        // "Usage: vigil fetch", not the binary's path as Qt prints it.
        QVERIFY2(r.out.startsWith(QStringLiteral("Usage: vigil ") + command + u' '),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("Exit code 0")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("2: usage error")), qPrintable(r.out));
        QCOMPARE(r.out.contains(QStringLiteral("130: interrupted by Ctrl+C")), interruptible);
    }

    void ctrlCStopsFetchWith130AndKeepsTheJournal() {
        vigil::test::DemoFixture demo;
        QVERIFY(demo.start(7));
        QTemporaryDir dir;
        const QString journal = dir.filePath(QStringLiteral("run.jsonl"));
        const QStringList args{QStringLiteral("fetch"),
                               QStringLiteral("--template"),
                               demo.url().toString() + QStringLiteral("/item/{item}?ms=150"),
                               QStringLiteral("--count"),
                               QStringLiteral("60"),
                               QStringLiteral("--concurrency"),
                               QStringLiteral("2"),
                               QStringLiteral("--out"),
                               journal};
        QProcess p;
        startVigil(p, args);
        QVERIFY(p.waitForStarted());
        // Interrupt mid-batch: once some results are on disk, long before all 60 (4.5 s).
        QTRY_VERIFY_WITH_TIMEOUT(journalLines(journal).size() >= 4, 30000);
        QCOMPARE(::kill(pid_t(p.processId()), SIGINT), 0);
        // The demo server lives in this process: wait with the event loop running.
        QTRY_COMPARE_WITH_TIMEOUT(p.state(), QProcess::NotRunning, 30000);
        QCOMPARE(p.exitStatus(), QProcess::NormalExit); // stopped itself, not killed by SIGINT
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(
            QString::fromUtf8(p.readAllStandardError()).contains(QStringLiteral("interrupted")));
        const auto lines = journalLines(journal);
        QVERIFY(lines.size() >= 4 && lines.size() < 60);
        for (const QByteArray &line : lines)
            QVERIFY2(QJsonDocument::fromJson(line).isObject(), line.constData());
        // The rerun resumes from that journal and finishes the batch: exit 0.
        QProcess rerun;
        startVigil(rerun, args);
        QTRY_COMPARE_WITH_TIMEOUT(rerun.state(), QProcess::NotRunning, 60000);
        QCOMPARE(rerun.exitCode(), 0);
        QStringList ok = okItems(journal);
        QCOMPARE(ok.size(), 60); // the rerun fetched only what the interrupted run had not
        ok.removeDuplicates();
        QCOMPARE(ok.size(), 60);
    }

    void unknownCommandIsAUsageError() {
        const auto r = runVigil({QStringLiteral("frobnicate")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("unknown command 'frobnicate'")));
    }

    void benchRunsHeadlessAndPrintsOneSummaryLine() {
        const auto r = runVigil({QStringLiteral("bench"), QStringLiteral("offload"),
                                 QStringLiteral("--job-ms"), QStringLiteral("120")});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
        QVERIFY2(lines.last().startsWith(QStringLiteral("bench-offload job_ms=120 ")),
                 qPrintable(r.out + r.err));
        // The blocked run must show roughly the job's length as lag; the offloaded one must not.
        const double blocked = field(lines.last(), "blocked_lag_max_ms");
        const double offloaded = field(lines.last(), "offloaded_lag_max_ms");
        QVERIFY(blocked >= 100);
        QVERIFY(offloaded >= 0);
        QVERIFY(offloaded < blocked);
    }

    void plotBenchDrivesTheDashboardOffscreen() {
        const auto r = runVigil(
            QStringLiteral("bench plot --series 3 --rate-hz 20 --history-s 120 --seconds 2")
                .split(u' '));
        QCOMPARE(r.exitCode, 0);
        const QString line = r.out.trimmed().split(u'\n').last();
        QVERIFY2(line.startsWith(QStringLiteral("bench-plot series=3 points=")),
                 qPrintable(r.out + r.err));
        const qint64 points =
            line.section(QStringLiteral("points="), 1).section(u' ', 0, 0).toLongLong();
        QVERIFY2(points >= 3 * 120 * 20, qPrintable(line)); // the pre-filled history is held
        const double fps = line.section(QStringLiteral("fps="), 1).section(u' ', 0, 0).toDouble();
        QVERIFY2(fps > 1, qPrintable(line));
    }

    void plotBenchMeasuresItsFloorAndMemory() {
        const auto r = runVigil(QStringLiteral("bench plot --series 4 --charts 2 --rate-hz 20 "
                                               "--history-s 600 --seconds 2")
                                    .split(u' '));
        QCOMPARE(r.exitCode, 0);
        const QString line = r.out.trimmed().split(u'\n').last();
        QVERIFY2(field(line, "charts") == 2, qPrintable(r.out + r.err));
        QVERIFY2(field(line, "reference_frame_p50_ms") > 0, qPrintable(line));
        const double ratio = field(line, "ratio_p50");
        const double expected = field(line, "frame_p50_ms") / field(line, "reference_frame_p50_ms");
        QVERIFY2(ratio > 0 && std::abs(ratio - expected) <= 0.02 + expected * 0.05,
                 qPrintable(line));
        // A sample is 16 bytes; its share of the block envelopes, chunk and tail overhead is small
        // at 12,000 samples per series.
        const double bpp = field(line, "bytes_per_point");
        QVERIFY2(bpp >= 16 && bpp <= 32, qPrintable(line));
    }

    void plotBenchRefusesBadChartCounts() {
        const auto r = runVigil({QStringLiteral("bench"), QStringLiteral("plot"),
                                 QStringLiteral("--charts"), QStringLiteral("0")});
        QCOMPARE(r.exitCode, 2);
    }

    /// `bench idle` runs the main window and prints every key, each with a number.
    void idleBenchPrintsEveryKey() {
        const auto r = runVigil({QStringLiteral("bench"), QStringLiteral("idle"),
                                 QStringLiteral("--seconds"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 0);
        const QString line = r.out.trimmed().split(u'\n').last();
        QVERIFY2(line.startsWith(QStringLiteral("bench-idle ")), qPrintable(r.out + r.err));
        for (const char *key : {"cpu_percent", "frames", "loop_lag_p99_ms", "read_rate_ratio",
                                "read_rate_mean", "rss_start_mb", "rss_mb", "points"}) {
            const QString prefix = QLatin1String(key) + u'=';
            QVERIFY2(line.contains(u' ' + prefix), qPrintable(line));
            bool isNumber = false;
            line.section(prefix, 1).section(u' ', 0, 0).toDouble(&isNumber);
            QVERIFY2(isNumber, qPrintable(line));
        }
        // A second's growth says nothing of an hour's (start-up dominates it).
        QVERIFY2(line.endsWith(QStringLiteral(" rss_full_history_mb=n/a")), qPrintable(line));
        // The default dashboard's sensors are read every 500 ms: some reading came in.
        const double reads =
            line.section(QStringLiteral("read_rate_mean="), 1).section(u' ', 0, 0).toDouble();
        QVERIFY2(reads > 0, qPrintable(line));
    }

    /// `bench app`: the main window under load prints every figure of its line, each sane.
    void appBenchPrintsEveryFigure() {
        const auto r = runVigil(QStringLiteral("bench app --series 4 --history-s 60 --items 200 "
                                               "--concurrency 20 --downloads 2 --download-mib 4")
                                    .split(u' '),
                                120000);
        QCOMPARE(r.exitCode, 0);
        const QString line = r.out.trimmed().split(u'\n').last();
        QVERIFY2(line.startsWith(QStringLiteral("bench-app fps=")), qPrintable(r.out + r.err));
        for (const char *key : {"fps", "frame_p95_ms", "download_mbps", "download_mbps_solo"})
            QVERIFY2(field(line, key) > 0, key);
        QVERIFY2(field(line, "loop_lag_p99_ms") >= 0, qPrintable(line));
        for (const char *key : {"batch_efficiency", "batch_efficiency_solo"})
            QVERIFY2(field(line, key) > 0 && field(line, key) <= 1.5, key);
        QCOMPARE(field(line, "ideal_s"), 0.5); // ceil(200 / 20) × 50 ms
        QVERIFY2(field(line, "machine_busy_share") > 0 && field(line, "machine_busy_share") <= 1,
                 qPrintable(line));
    }

    void fetchBenchRunsAgainstItsOwnServerProcess() {
        const auto r = runVigil(
            QStringLiteral("bench fetch --n 60 --concurrency 12 --latency-ms 200").split(u' '));
        QCOMPARE(r.exitCode, 0);
        const QString line = r.out.trimmed().split(u'\n').last();
        QVERIFY2(line.startsWith(QStringLiteral("bench-fetch transport=vigil-http1 cores=")),
                 qPrintable(r.out + r.err));
        QVERIFY2(line.contains(QStringLiteral(" n=60 c=12 latency_ms=200 ok=60 ")),
                 qPrintable(line));
        QCOMPARE(field(line, "ideal_s"), 1.0);                // ceil(60 / 12) × 200 ms
        QCOMPARE(field(line, "server_peak_in_flight"), 12.0); // the server saw exactly c at once
        QVERIFY2(field(line, "wall_s") >= 1.0, qPrintable(line)); // nothing beats the latency
        QVERIFY2(line.contains(QStringLiteral(" server_late_us_p95=")), qPrintable(line));
    }

    void downloadBenchIsFairByConstruction_data() {
        QTest::addColumn<QString>("server");
        QTest::newRow("demo") << QStringLiteral("demo");
        if (!QStandardPaths::findExecutable(
                 QStringLiteral("nginx"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")})
                 .isEmpty())
            QTest::newRow("nginx") << QStringLiteral("nginx");
    }

    // Both clients on tmpfs, in turns, best of --runs: the line says so and carries the ratio.
    void downloadBenchIsFairByConstruction() {
        QFETCH(QString, server);
        const auto r =
            runVigil({QStringLiteral("bench"), QStringLiteral("download"),
                      QStringLiteral("--files"), QStringLiteral("2"), QStringLiteral("--size"),
                      QStringLiteral("1Mi"), QStringLiteral("--runs"), QStringLiteral("2"),
                      QStringLiteral("--server"), server, QStringLiteral("--verify")});
        QCOMPARE(r.exitCode, 0);
        const QString line = r.out.trimmed().split(u'\n').last();
        QVERIFY2(line.startsWith(QStringLiteral("bench-download server=") + server + u' '),
                 qPrintable(r.out + r.err));
        QVERIFY2(line.contains(QStringLiteral(" files=2 bytes=2097152 runs=2 ")), qPrintable(line));
        for (const char *key : {" out=", " wall_s=", " worst_wall_s=", " mb_per_s=",
                                " peak_rss_mb=", " curl_wall_s=", " curl_mb_per_s=", " ratio="})
            QVERIFY2(line.contains(QLatin1String(key)), qPrintable(line));
        QVERIFY2(line.endsWith(QStringLiteral(" verified=sha256")), qPrintable(line));
        const QString out = line.section(QStringLiteral("out="), 1).section(u' ', 0, 0);
        QVERIFY2(out == QLatin1String("tmpfs") || out == QLatin1String("disk"), qPrintable(line));
    }

    void badBenchArgumentsNameTheProblem_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no benchmark named")
            << QStringList{QStringLiteral("bench")} << QStringLiteral("name one benchmark");
        QTest::newRow("unknown benchmark")
            << QStringList{QStringLiteral("bench"), QStringLiteral("warp")}
            << QStringLiteral("name one benchmark");
        QTest::newRow("job-ms not a number")
            << QStringLiteral("bench offload --job-ms lots").split(u' ')
            << QStringLiteral("--job-ms");
        QTest::newRow("download server unknown")
            << QStringLiteral("bench download --server apache").split(u' ')
            << QStringLiteral("--server takes demo or nginx");
        QTest::newRow("download runs zero") << QStringLiteral("bench download --runs 0").split(u' ')
                                            << QStringLiteral("--runs 1..100");
        QTest::newRow("app history out of range")
            << QStringLiteral("bench app --history-s 5").split(u' ')
            << QStringLiteral("--history-s (10..3600)");
        QTest::newRow("unknown option")
            << QStringLiteral("bench offload --turbo").split(u' ') << QStringLiteral("turbo");
    }

    void badBenchArgumentsNameTheProblem() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto r = runVigil(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    // Issue 12: a rerun fetched every complete file again and failed it ("already exists"), and
    // an error page came out as "cannot write : Unknown error" with Qt's complaints on stderr.
    void downloadRerunSkipsCompleteFilesAndErrorPagesSayTheirStatus() {
        // The demo server in its own process: it must answer while this test waits on the CLI.
        QProcess server;
        server.start(QStringLiteral(VIGIL_BINARY), {QStringLiteral("serve-demo")});
        QVERIFY(server.waitForReadyRead(10000));
        const QString base = QString::fromUtf8(server.readLine()).trimmed();
        QVERIFY2(base.startsWith(QStringLiteral("http://127.0.0.1:")), qPrintable(base));
        const QStringList args{QStringLiteral("download"),
                               QStringLiteral("--quiet"),
                               QStringLiteral("--out"),
                               m_out.path(),
                               base + QStringLiteral("/bytes/7000?name=one.bin"),
                               base + QStringLiteral("/bytes/7000?name=two.bin")};
        const auto first = runVigil(args);
        QCOMPARE(first.exitCode, 0);
        QCOMPARE(first.out, QStringLiteral("downloaded ok=2 already_complete=0 failed=0 "
                                           "cancelled=0 interrupted=0 bytes=14000 ") +
                                first.out.section(QStringLiteral("bytes=14000 "), 1));
        const auto again = runVigil(args);
        QVERIFY2(again.exitCode == 0, qPrintable(again.out + again.err));
        QVERIFY2(again.out.startsWith(QStringLiteral("downloaded ok=2 already_complete=2 failed=0 "
                                                     "cancelled=0 interrupted=0 bytes=0 ")),
                 qPrintable(again.out));
        QVERIFY2(again.out.contains(QStringLiteral(" mb_per_s=")), qPrintable(again.out));
        QCOMPARE(QDir(m_out.path()).entryList(QDir::Files | QDir::Hidden, QDir::Name),
                 (QStringList{QStringLiteral("one.bin"), QStringLiteral("two.bin")}));

        const auto missing = runVigil({QStringLiteral("download"), QStringLiteral("--quiet"),
                                       QStringLiteral("--out"), m_out.path(),
                                       base + QStringLiteral("/nothing/nope.bin"),
                                       base + QStringLiteral("/nothing/")});
        server.kill();
        server.waitForFinished();
        QCOMPARE(missing.exitCode, 1);
        // Nothing but Vigil's lines; a file without a name is told by its URL.
        QStringList lines = missing.err.split(u'\n', Qt::SkipEmptyParts);
        lines.sort();
        QCOMPARE(lines, (QStringList{QStringLiteral("failed: ") + base +
                                         QStringLiteral("/nothing/: HTTP 404 Not Found"),
                                     QStringLiteral("failed: nope.bin: HTTP 404 Not Found")}));
    }

    void limitRateUsesTheSummarysMegabytes() {
        const auto help = runVigil({QStringLiteral("download"), QStringLiteral("--help")});
        QVERIFY2(help.out.simplified().contains(QStringLiteral("10^6, 10^9 (2M = 2 MB/s)")),
                 qPrintable(help.out));
        const auto bad = runVigil({QStringLiteral("download"), QStringLiteral("--out"),
                                   m_out.path(), QStringLiteral("--limit-rate"),
                                   QStringLiteral("2Mb"), QStringLiteral("http://127.0.0.1:1/x")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(QStringLiteral("e.g. 2M for 2 MB/s")), qPrintable(bad.err));
    }

private:
    QTemporaryDir m_out;
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
