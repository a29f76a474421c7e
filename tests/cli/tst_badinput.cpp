// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "demofixture.h"
#include "fetch/journal.h"

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <tuple>

using namespace std::chrono_literals;

namespace {
struct Run {
    int exitCode = -1;
    QString out;
    QString err;
    bool crashed = false;
};
} // namespace

/// Every input a user or a server can give meets a clear message and the right exit code, never
/// a crash. The README's "Reliability" table lists these rows.
class TestBadInput : public QObject {
    Q_OBJECT
    vigil::test::DemoFixture m_server;
    QTemporaryDir m_dir;

    // The demo server lives in this process, so the event loop must keep turning while vigil runs.
    Run vigil(QStringList args, const QByteArray &stdinData = {}, QStringList wrapper = {}) {
        for (auto &a : args) {
            a.replace(QStringLiteral("{demo}"), m_server->baseUrl().toString());
            a.replace(QStringLiteral("{tmp}"), m_dir.path());
        }
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        p.setProcessEnvironment(env);
        if (wrapper.isEmpty())
            p.start(QStringLiteral(VIGIL_BINARY), args);
        else {
            const QString program = wrapper.takeFirst();
            p.start(program, wrapper + QStringList{QStringLiteral(VIGIL_BINARY)} + args);
        }
        p.waitForStarted();
        if (!stdinData.isNull()) {
            p.write(stdinData);
            p.closeWriteChannel();
        }
        QElapsedTimer t;
        t.start();
        while (p.state() != QProcess::NotRunning && t.elapsed() < 60000)
            vigil::test::spin(10ms);
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError()), p.exitStatus() == QProcess::CrashExit};
    }

    void write(const QString &name, const QByteArray &content) {
        QFile f(m_dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_server.start(2));
        QCOMPARE(
            mkfifo(QFile::encodeName(m_dir.filePath(QStringLiteral("fifo"))).constData(), 0600), 0);
        write(QStringLiteral("bad.sha256"), "not a checksum line\n");
        write(QStringLiteral("wrong.sha256"), QByteArray(64, 'a') + "  64\n");
        write(QStringLiteral("bad-dashboard.json"), "{\"sensors\": [{\"type\": \"laser\"}]}");
        write(QStringLiteral("truncated.jsonl"),
              "{\"compute\":\"none\",\"fields\":[],\"template\":\"" +
                  m_server->baseUrl().toString().toUtf8() +
                  "/item/"
                  "{item}?ms=0\",\"vigil_journal\":1}\n{\"index\":0,\"item\":\"0\",\"status\":"
                  "\"ok\",\"fields\":[],\"rank\":1}\n{\"index\":1,\"ite");
        QFile::copy(m_dir.filePath(QStringLiteral("truncated.jsonl")),
                    m_dir.filePath(QStringLiteral("truncated2.jsonl")));
    }

    void matrix_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char *name, QStringList args, int code, const char *expected) {
            QTest::newRow(name) << args << code << QString::fromUtf8(expected);
        };
        // CLI flags
        row("fetch without a template",
            {QStringLiteral("fetch"), QStringLiteral("--count"), QStringLiteral("3")}, 2,
            "--template is required");
        row("fetch template without {item}",
            {QStringLiteral("fetch"), QStringLiteral("--template"), QStringLiteral("{demo}/x"),
             QStringLiteral("--count"), QStringLiteral("3")},
            2, "must contain {item}");
        row("fetch both items and count",
            {QStringLiteral("fetch"), QStringLiteral("--template"), QStringLiteral("{demo}/{item}"),
             QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--items"),
             QStringLiteral("-")},
            2, "exactly one of --items FILE and --count N");
        row("fetch header with CR LF (header injection)",
            {QStringLiteral("fetch"), QStringLiteral("--template"), QStringLiteral("{demo}/{item}"),
             QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--header"),
             QStringLiteral("X-Api-Key: k\r\nX-Injected: yes")},
            2, "--header: the value of X-Api-Key holds a line break (CR or LF)");
        row("fetch concurrency 0",
            {QStringLiteral("fetch"), QStringLiteral("--template"), QStringLiteral("{demo}/{item}"),
             QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--concurrency"),
             QStringLiteral("0")},
            2, "--concurrency: concurrency must be from 1 to 5000");
        row("fetch per-host negative",
            {QStringLiteral("fetch"), QStringLiteral("--template"), QStringLiteral("{demo}/{item}"),
             QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--per-host"),
             QStringLiteral("-1")},
            2, "--per-host: per-host concurrency must be from 0 (no limit of its own) to 5000");
        row("fetch per-host auto misspelt",
            {QStringLiteral("fetch"), QStringLiteral("--template"), QStringLiteral("{demo}/{item}"),
             QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--per-host"),
             QStringLiteral("auto:x")},
            2, "--per-host must be a whole number, auto or auto:N");
        row("fetch breaker not a number",
            {QStringLiteral("fetch"), QStringLiteral("--template"), QStringLiteral("{demo}/{item}"),
             QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--breaker"),
             QStringLiteral("many")},
            2, "--breaker must be a whole number");
        row("serve-demo too many hosts",
            {QStringLiteral("serve-demo"), QStringLiteral("--hosts"), QStringLiteral("5000")}, 2,
            "--hosts takes 0 to 4096");
        row("fetch rate not a number",
            {QStringLiteral("fetch"), QStringLiteral("--template"), QStringLiteral("{demo}/{item}"),
             QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--rate"),
             QStringLiteral("lots")},
            2, "--rate: the rate is requests/s per host from 0 (no limit) to 100000, or auto");
        row("fetch auto rate with bounds upside down",
            {QStringLiteral("fetch"), QStringLiteral("--template"), QStringLiteral("{demo}/{item}"),
             QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--rate"),
             QStringLiteral("auto:50-5")},
            2, "--rate: an auto rate's lower bound (50) is above its upper bound (5)");
        row("download rate not a number",
            {QStringLiteral("download"), QStringLiteral("--out"), QStringLiteral("{tmp}/d"),
             QStringLiteral("--rate"), QStringLiteral("auto:x"), QStringLiteral("{demo}/bytes/1")},
            2, "--rate: an auto rate's bounds are MIN-MAX, -MAX or MIN-");
        row("fetch negative timeout",
            {QStringLiteral("fetch"), QStringLiteral("--template"), QStringLiteral("{demo}/{item}"),
             QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--timeout-ms"),
             QStringLiteral("-5")},
            2, "--timeout-ms: the timeout must be from 1 ms");
        row("fetch bad field",
            {QStringLiteral("fetch"), QStringLiteral("--template"), QStringLiteral("{demo}/{item}"),
             QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--field"),
             QStringLiteral("x=nope")},
            2, "must be empty or start with '/'");
        row("fetch missing items file",
            {QStringLiteral("fetch"), QStringLiteral("--template"), QStringLiteral("{demo}/{item}"),
             QStringLiteral("--items"), QStringLiteral("{tmp}/none.txt")},
            2, "cannot read --items");
        row("fetch unknown option", {QStringLiteral("fetch"), QStringLiteral("--turbo")}, 2,
            "Unknown option 'turbo'");
        row("download without --out",
            {QStringLiteral("download"), QStringLiteral("{demo}/bytes/10")}, 2,
            "--out DIR is required");
        row("download not a URL",
            {QStringLiteral("download"), QStringLiteral("--out"), QStringLiteral("{tmp}/d"),
             QStringLiteral("file:///etc/passwd")},
            2, "not an http(s) URL");
        row("download bad limit",
            {QStringLiteral("download"), QStringLiteral("--out"), QStringLiteral("{tmp}/d"),
             QStringLiteral("--limit-rate"), QStringLiteral("fast"),
             QStringLiteral("{demo}/bytes/10")},
            2, "--limit-rate takes");
        row("download malformed sha256 file",
            {QStringLiteral("download"), QStringLiteral("--out"), QStringLiteral("{tmp}/d"),
             QStringLiteral("--sha256"), QStringLiteral("{tmp}/bad.sha256"),
             QStringLiteral("{demo}/bytes/10")},
            2, "line 1");
        row("serve-demo port out of range",
            {QStringLiteral("serve-demo"), QStringLiteral("--port"), QStringLiteral("70000")}, 2,
            "--port must be a whole number from 0 to 65535");
        row("bench unknown benchmark", {QStringLiteral("bench"), QStringLiteral("warp")}, 2,
            "name one benchmark");
        row("unknown command", {QStringLiteral("frobnicate")}, 2, "unknown command 'frobnicate'");
        // Server replies: each demo fault endpoint, through fetch (exit 1, the batch completes)
        int faultNo = 0;
        const auto fault = [&row, &faultNo](const char *name, const char *path,
                                            const char *expected, QStringList extra = {}) {
            // Each row journals to its own file: one journal belongs to one template.
            row(name,
                QStringList{QStringLiteral("fetch"), QStringLiteral("--template"),
                            QStringLiteral("{demo}") + QLatin1String(path),
                            QStringLiteral("--count"), QStringLiteral("1"),
                            QStringLiteral("--timeout-ms"), QStringLiteral("400"),
                            QStringLiteral("--retries"), QStringLiteral("1"),
                            QStringLiteral("--quiet"), QStringLiteral("--out"),
                            QStringLiteral("{tmp}/fault-%1.jsonl").arg(++faultNo)} +
                    extra,
                1, expected);
        };
        fault("server hangs", "/hang?{item}", "timeout=1");
        fault("server trickles", "/slowbody?bytes=100&x={item}", "timeout=1");
        fault("server loops redirects", "/redirect-loop?{item}", "failed=1");
        fault("server sends an endless body", "/huge?{item}", "failed=1");
        fault("server sends bad JSON for a field", "/bad-json?{item}", "failed=1",
              {QStringLiteral("--field"), QStringLiteral("v=/value")});
        fault("server fails with 500/503", "/flaky/{item}?p=1", "failed=1");
        fault("server answers 404", "/compound/kryptonite{item}", "failed=1");
        row("connection refused",
            {QStringLiteral("fetch"), QStringLiteral("--template"),
             QStringLiteral("http://127.0.0.1:9/{item}"), QStringLiteral("--count"),
             QStringLiteral("1"), QStringLiteral("--retries"), QStringLiteral("0"),
             QStringLiteral("--quiet")},
            1, "failed=1");
        // Files
        row("truncated journal resumes",
            {QStringLiteral("fetch"), QStringLiteral("--template"),
             QStringLiteral("{demo}/item/{item}?ms=0"), QStringLiteral("--count"),
             QStringLiteral("3"), QStringLiteral("--out"), QStringLiteral("{tmp}/truncated.jsonl"),
             QStringLiteral("--quiet")},
            0, "fetched ok=2");
        row("truncated journal says what it skipped",
            {QStringLiteral("fetch"), QStringLiteral("--template"),
             QStringLiteral("{demo}/item/{item}?ms=0"), QStringLiteral("--count"),
             QStringLiteral("3"), QStringLiteral("--out"), QStringLiteral("{tmp}/truncated2.jsonl"),
             QStringLiteral("--quiet")},
            0, "skipped 1 unreadable line(s) in");
        // Endless or blocking inputs are refused before a byte is read
        for (const auto &[name, flag, path, expected] :
             {std::tuple{"items file is an endless device", "--items", "/dev/zero", "a device"},
              {"items file is a FIFO", "--items", "{tmp}/fifo", "a FIFO"},
              {"journal is an endless device", "--out", "/dev/zero", "a device"},
              {"journal is a FIFO", "--out", "{tmp}/fifo", "a FIFO"},
              {"journal is a folder", "--out", "{tmp}", "a folder"}}) {
            QStringList args{QStringLiteral("fetch"),
                             QStringLiteral("--template"),
                             QStringLiteral("{demo}/item/{item}"),
                             QStringLiteral("--quiet"),
                             QLatin1String(flag),
                             QLatin1String(path)};
            if (QLatin1String(flag) == QLatin1String("--out"))
                args << QStringLiteral("--count") << QStringLiteral("2");
            row(name, args, 2, expected);
        }
        row("journal for another template",
            {QStringLiteral("fetch"), QStringLiteral("--template"),
             QStringLiteral("{demo}/kinetics/{item}"), QStringLiteral("--count"),
             QStringLiteral("3"), QStringLiteral("--out"), QStringLiteral("{tmp}/truncated.jsonl"),
             QStringLiteral("--quiet")},
            2, "written for a different URL template");
        row("download into a folder that cannot exist",
            {QStringLiteral("download"), QStringLiteral("--out"),
             QStringLiteral("{tmp}/bad.sha256/sub"), QStringLiteral("--quiet"),
             QStringLiteral("{demo}/bytes/10")},
            1, "cannot create or write the folder");
        row("download checksum mismatch",
            {QStringLiteral("download"), QStringLiteral("--out"), QStringLiteral("{tmp}/mismatch"),
             QStringLiteral("--sha256"), QStringLiteral("{tmp}/wrong.sha256"),
             QStringLiteral("--quiet"), QStringLiteral("{demo}/bytes/64")},
            1, "SHA-256 mismatch");
        row("download 404",
            {QStringLiteral("download"), QStringLiteral("--out"), QStringLiteral("{tmp}/missing"),
             QStringLiteral("--quiet"), QStringLiteral("{demo}/nothing/here.bin")},
            1, "HTTP 404");
    }

    void matrix() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, expected);
        const auto r = vigil(args);
        QVERIFY2(!r.crashed, qPrintable(r.err));
        QVERIFY2(r.exitCode == exitCode,
                 qPrintable(QStringLiteral("exit %1, stderr: %2, stdout: %3")
                                .arg(r.exitCode)
                                .arg(r.err, r.out)));
        QVERIFY2(QString(r.err + r.out).contains(expected), qPrintable(QString(r.err + r.out)));
        QVERIFY(!r.err.contains(QStringLiteral("QIODevice::")) &&
                !r.err.contains(QStringLiteral("ASSERT"))); // no leaked Qt warnings
    }

    void endlessStdinIsCutOff() {
        const auto r = vigil({QStringLiteral("fetch"), QStringLiteral("--template"),
                              QStringLiteral("{demo}/item/{item}"), QStringLiteral("--items"),
                              QStringLiteral("-"), QStringLiteral("--quiet")},
                             QByteArray(200 * 1024, '\0'));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("line 1 is longer than 65536 bytes")),
                 qPrintable(r.err));
    }

    // A full disk without root: past `ulimit -f` writes fail with EFBIG, as with ENOSPC on a full
    // filesystem (SIGXFSZ ignored, so vigil is told instead of killed).
    void fullDiskStopsTheFetchWithItsReason() {
        const QString journal = m_dir.filePath(QStringLiteral("full.jsonl"));
        const auto r = vigil({QStringLiteral("fetch"), QStringLiteral("--template"),
                              QStringLiteral("{demo}/item/{item}?ms=0"), QStringLiteral("--count"),
                              QStringLiteral("500"), QStringLiteral("--quiet"),
                              QStringLiteral("--out"), journal},
                             {},
                             {QStringLiteral("bash"), QStringLiteral("-c"),
                              QStringLiteral("trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\"")});
        QVERIFY2(r.exitCode == 1, qPrintable(r.err + r.out));
        QVERIFY2(
            r.err.contains(QStringLiteral("cannot write journal %1: File too large").arg(journal)),
            qPrintable(r.err));
        QFile f(journal);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto journalled = vigil::fetch::parseJournal(f.readAll()).results;
        const int okLines = int(std::count_if(journalled.begin(), journalled.end(), [](auto &item) {
            return item.status == vigil::fetch::ItemStatus::Ok;
        }));
        QVERIFY2(r.out.contains(QStringLiteral("fetched ok=%1 ").arg(okLines)), qPrintable(r.out));
        QVERIFY(okLines < 500);
    }

    // --count 10000000 once built ten million strings (976 MB) before the first request.
    void hugeCountStartsAtOnceInLittleMemory() {
        QProcess p;
        p.start(QStringLiteral(VIGIL_BINARY),
                {QStringLiteral("fetch"), QStringLiteral("--template"),
                 m_server->baseUrl().toString() + QStringLiteral("/hang?{item}"),
                 QStringLiteral("--count"), QStringLiteral("10000000"), QStringLiteral("--quiet"),
                 QStringLiteral("--concurrency"), QStringLiteral("1")});
        QVERIFY(p.waitForStarted());
        const auto stop = qScopeGuard([&p] {
            p.kill();
            p.waitForFinished();
        });
        QElapsedTimer t;
        t.start();
        while (m_server->inFlight() == 0 && p.state() == QProcess::Running && t.elapsed() < 60000)
            vigil::test::spin(10ms);
        QVERIFY2(m_server->inFlight() > 0, "the first request never came");
        QFile status(QStringLiteral("/proc/%1/status").arg(p.processId()));
        QVERIFY(status.open(QIODevice::ReadOnly));
        const QByteArray text = status.readAll();
        const qint64 peakKb =
            text.mid(text.indexOf("VmHWM:") + 6).trimmed().split(' ').first().toLongLong();
        QVERIFY2(peakKb > 0 && peakKb < 300 * 1024, qPrintable(QString::number(peakKb)));
    }

    void secretsNeverLeak() {
        const QString bearer = QStringLiteral("Bearer sk-live-4f8e2b9c");
        const QString apiKey = QStringLiteral("key-7c1d99aa");
        const QString journal = m_dir.filePath(QStringLiteral("secrets.jsonl"));
        write(QStringLiteral("items.txt"), "water\nkryptonite\nhang\n");
        const auto r = vigil(
            {QStringLiteral("fetch"), QStringLiteral("--template"),
             QStringLiteral("{demo}/compound/{item}?ms=0"), QStringLiteral("--items"),
             QStringLiteral("{tmp}/items.txt"), QStringLiteral("--header"),
             QStringLiteral("Authorization: ") + bearer, QStringLiteral("--header"),
             QStringLiteral("X-API-Key: ") + apiKey, QStringLiteral("--field"),
             QStringLiteral("formula=/PropertyTable/Properties/0/MolecularFormula"),
             QStringLiteral("--timeout-ms"), QStringLiteral("300"), QStringLiteral("--retries"),
             QStringLiteral("0"), QStringLiteral("--out"), journal});
        QCOMPARE(r.exitCode,
                 1); // one ok, one 404, one bad field path: errors that must not echo headers
        QFile f(journal);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString written = QString::fromUtf8(f.readAll());
        QVERIFY(written.contains(QStringLiteral("H2O")));
        for (const QString &secret :
             {bearer, apiKey, QStringLiteral("sk-live"), QStringLiteral("key-7c1d")}) {
            QVERIFY2(!written.contains(secret), "a secret reached the journal");
            QVERIFY2(!r.out.contains(secret) && !r.err.contains(secret),
                     "a secret reached the terminal");
        }
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
