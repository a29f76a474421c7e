#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

namespace {
struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

// The CLI must work with no display at all, so the environment drops DISPLAY, WAYLAND_DISPLAY
// and the offscreen platform the test runner sets.
Run vigil(const QStringList &args, int timeoutMs = 60000) {
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(VIGIL_BINARY), args);
    if (!p.waitForFinished(timeoutMs))
        return {};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}
} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void versionPrintsTheProjectVersion() {
        const auto r = vigil({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.trimmed(), QStringLiteral("vigil " VIGIL_VERSION));
    }

    void helpListsTheCommands() {
        const auto r = vigil({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("bench")));
        QVERIFY(r.out.contains(QStringLiteral("Usage")));
    }

    void unknownCommandIsAUsageError() {
        const auto r = vigil({QStringLiteral("frobnicate")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("unknown command 'frobnicate'")));
    }

    void benchRunsHeadlessAndPrintsOneSummaryLine() {
        const auto r = vigil({QStringLiteral("bench"), QStringLiteral("offload"),
                              QStringLiteral("--job-ms"), QStringLiteral("120")});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
        QVERIFY2(lines.last().startsWith(QStringLiteral("bench-offload job_ms=120 ")),
                 qPrintable(r.out + r.err));
        // The blocked run must show roughly the job's length as lag; the offloaded one must not.
        const auto field = [&](const QString &key) {
            for (const auto &kv : lines.last().split(QLatin1Char(' '))) {
                if (kv.startsWith(key + QLatin1Char('=')))
                    return kv.mid(key.size() + 1).toDouble();
            }
            return -1.0;
        };
        QVERIFY(field(QStringLiteral("blocked_lag_max_ms")) >= 100);
        QVERIFY(field(QStringLiteral("offloaded_lag_max_ms")) >= 0);
        QVERIFY(field(QStringLiteral("offloaded_lag_max_ms")) <
                field(QStringLiteral("blocked_lag_max_ms")));
    }

    void plotBenchDrivesTheDashboardOffscreen() {
        const auto r =
            vigil({QStringLiteral("bench"), QStringLiteral("plot"), QStringLiteral("--series"),
                   QStringLiteral("3"), QStringLiteral("--rate-hz"), QStringLiteral("20"),
                   QStringLiteral("--history-s"), QStringLiteral("120"),
                   QStringLiteral("--seconds"), QStringLiteral("2")});
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

    void fetchBenchRunsAgainstItsOwnServerProcess() {
        const auto r =
            vigil({QStringLiteral("bench"), QStringLiteral("fetch"), QStringLiteral("--n"),
                   QStringLiteral("60"), QStringLiteral("--concurrency"), QStringLiteral("12"),
                   QStringLiteral("--latency-ms"), QStringLiteral("200")});
        QCOMPARE(r.exitCode, 0);
        const QString line = r.out.trimmed().split(u'\n').last();
        QVERIFY2(line.startsWith(QStringLiteral("bench-fetch transport=vigil-http1 cores=")),
                 qPrintable(r.out + r.err));
        QVERIFY2(line.contains(QStringLiteral(" n=60 c=12 latency_ms=200 ok=60 ")),
                 qPrintable(line));
        const auto field = [&](const char *key) {
            return line.section(QLatin1String(key) + u'=', 1).section(u' ', 0, 0).toDouble();
        };
        QCOMPARE(field("ideal_s"), 1.0);                    // ceil(60 / 12) × 200 ms
        QCOMPARE(field("server_peak_in_flight"), 12.0);     // the server saw exactly c at once
        QVERIFY2(field("wall_s") >= 1.0, qPrintable(line)); // nothing beats the server's latency
        QVERIFY2(line.contains(QStringLiteral(" server_late_us_p95=")), qPrintable(line));
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
            << QStringList{QStringLiteral("bench"), QStringLiteral("offload"),
                           QStringLiteral("--job-ms"), QStringLiteral("lots")}
            << QStringLiteral("--job-ms");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("bench"), QStringLiteral("offload"),
                           QStringLiteral("--turbo")}
            << QStringLiteral("turbo");
    }

    void badBenchArgumentsNameTheProblem() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto r = vigil(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
