// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"
#include "hostileserver.h"
#include "nginxserver.h"

#include "async/looplagprobe.h"
#include "compute/computepool.h"
#include "demo/demodata.h"
#include "demofixture.h"
#include "fetch/downloader.h"
#include "fetch/downloadnames.h"
#include "net/httpclient.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace std::chrono_literals;
using namespace vigil;
using fetch::DownloadItem;
using fetch::DownloadOptions;
using fetch::DownloadState;
using vigil::test::drive;

namespace {
QString demoSha256(qint64 size) {
    QByteArray bytes(size, Qt::Uninitialized);
    demo::fillDemoBytes(bytes.data(), 0, size);
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QString fileSha256(const QString &path) {
    QString error;
    return fetch::Downloader::sha256OfFile(path, &error);
}

/// What this process has read through read(2) and friends so far (Linux /proc/self/io rchar):
/// how much of a file a hash read, without a hook in the hasher.
qint64 bytesReadByThisProcess() {
    QFile io(QStringLiteral("/proc/self/io"));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = io.readAll();
    const qsizetype at = text.indexOf("rchar: ");
    return at < 0 ? -1 : text.mid(at + 7, text.indexOf('\n', at) - at - 7).toLongLong();
}

quint16 closedPort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}
} // namespace

class TestDownloader : public QObject {
    Q_OBJECT
    test::DemoFixture m_server;
    net::HttpClient *m_client = nullptr;
    fetch::Downloader *m_downloader = nullptr;
    QTemporaryDir *m_dir = nullptr;
    QHash<int, fetch::DownloadProgress> m_last;
    QList<fetch::DownloadProgress> m_all;

    QUrl demo(const QString &path) const { return QUrl(m_server->baseUrl().toString() + path); }
    DownloadOptions options(int concurrency = 4) const {
        DownloadOptions o;
        o.outDir = m_dir->path();
        o.concurrency = concurrency;
        return o;
    }
    fetch::DownloadSummary run(QList<DownloadItem> items, DownloadOptions o) {
        return drive(m_downloader->run(items, o)).value();
    }
    /// Runs @p act on the next loop pass after file @p index first has @p bytes: cancel tests
    /// wait for an event, not for a wall-clock guess that a loaded machine can miss.
    void onceAtBytes(int index, qint64 bytes, std::function<void()> act) {
        auto done = std::make_shared<bool>(false);
        connect(m_downloader, &fetch::Downloader::progress, m_downloader,
                [this, done, index, bytes, act](const fetch::DownloadProgress &p) {
                    if (*done || p.index != index || p.bytes < bytes)
                        return;
                    *done = true;
                    QTimer::singleShot(0, m_downloader, act);
                });
    }
    void interruptAtBytes(qint64 bytes) {
        onceAtBytes(0, bytes, [this] { m_downloader->interrupt(); });
    }
    QStringList filesInDir() const {
        return QDir(m_dir->path()).entryList(QDir::Files, QDir::Name);
    }

private Q_SLOTS:
    void init() {
        QVERIFY(m_server.start(4));
        m_client = new net::HttpClient(async::Clock::system(), this);
        m_downloader = new fetch::Downloader(*m_client, async::Clock::system(), this);
        m_dir = new QTemporaryDir;
        m_last.clear();
        m_all.clear();
        connect(m_downloader, &fetch::Downloader::progress, this,
                [this](const fetch::DownloadProgress &p) {
                    m_last[p.index] = p;
                    m_all << p;
                });
    }

    void cleanup() {
        delete m_downloader;
        delete m_client;
        m_server.stop();
        delete m_dir;
    }

    void filesArriveVerifiedUnderTheirNames() {
        const QList<DownloadItem> items{
            {demo(QStringLiteral("/bytes/300000")), demoSha256(300000), {}},
            {demo(QStringLiteral("/bytes/123457")), {}, QStringLiteral("second.bin")}};
        const auto s = run(items, options());
        QCOMPARE(s.ok, 2);
        QCOMPARE(filesInDir(),
                 (QStringList{QStringLiteral("300000"), QStringLiteral("second.bin")}));
        QCOMPARE(fileSha256(m_dir->filePath(QStringLiteral("second.bin"))), demoSha256(123457));
        QVERIFY2(s.line().startsWith(QStringLiteral("downloaded ok=2 already_complete=0 failed=0 "
                                                    "cancelled=0 interrupted=0 bytes=423457 ")),
                 qPrintable(s.line()));
        // States went queued → connecting → downloading → verifying (the one with a checksum) →
        // done.
        QStringList states;
        for (const auto &p : m_all)
            if (p.index == 0 &&
                (states.isEmpty() || states.last() != fetch::downloadStateName(p.state)))
                states << fetch::downloadStateName(p.state);
        QCOMPARE(states, (QStringList{QStringLiteral("queued"), QStringLiteral("connecting"),
                                      QStringLiteral("downloading"), QStringLiteral("verifying"),
                                      QStringLiteral("done")}));
    }

    void interruptedTransferResumesByteIdentical() {
        const qint64 size = 3 * 1024 * 1024;
        const QList<DownloadItem> items{
            {demo(QStringLiteral("/bytes/%1").arg(size)), demoSha256(size), {}}};
        auto o = options();
        o.bandwidth = 2 * 1024 * 1024;
        interruptAtBytes(1024 * 1024);
        const auto first = run(items, o);
        QCOMPARE(first.unfinished, 1);
        const QString name = QString::number(size);
        QVERIFY2(!QFile::exists(m_dir->filePath(name)),
                 "nothing appears under the final name before it is complete");
        const qint64 partial = QFileInfo(m_dir->filePath(name + QStringLiteral(".part"))).size();
        QVERIFY(partial > 0 && partial < size);
        m_all.clear();
        const auto second = run(items, options());
        QCOMPARE(second.ok, 1);
        QVERIFY(m_last[0].resumed);
        QCOMPARE(second.bytes, size - partial);
        QCOMPARE(fileSha256(m_dir->filePath(name)), demoSha256(size));
        QCOMPARE(filesInDir(), QStringList{name}); // no .part, no sidecar left
    }

    void realNginxResumesAndRestartsWhenTheFileChanged() {
        test::NginxServer nginx;
        if (!nginx.isRunning())
            QSKIP("nginx is not installed (packaging/debian-packages.txt lists it)");
        QByteArray content(4 * 1024 * 1024, Qt::Uninitialized);
        demo::fillDemoBytes(content.data(), 7, content.size());
        const QString served = nginx.root() + QStringLiteral("/data.bin");
        {
            QFile f(served);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        const QList<DownloadItem> items{{nginx.url(QStringLiteral("data.bin")), {}, {}}};
        auto o = options();
        o.bandwidth = 3 * 1024 * 1024;
        interruptAtBytes(1024 * 1024);
        run(items, o);
        const qint64 partial = QFileInfo(m_dir->filePath(QStringLiteral("data.bin.part"))).size();
        QVERIFY(partial > 0 && partial < content.size());
        QCOMPARE(run(items, options()).ok, 1);
        QVERIFY(m_last[0].resumed); // nginx answered 206 to Range + If-Range
        QCOMPARE(fileSha256(m_dir->filePath(QStringLiteral("data.bin"))),
                 QString::fromLatin1(
                     QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex()));

        // The file changes on the server while a .part waits: its ETag no longer matches, nginx
        // sends the whole new file, and the download restarts cleanly.
        QVERIFY(QFile::remove(m_dir->filePath(QStringLiteral("data.bin"))));
        interruptAtBytes(1024 * 1024);
        run(items, o);
        QVERIFY(QFile::exists(m_dir->filePath(QStringLiteral("data.bin.part"))));
        QByteArray changed(3 * 1024 * 1024 + 11, 'z');
        {
            QFile f(served);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(changed);
        }
        // A new size (and mtime) means a new ETag for nginx.
        QCOMPARE(run(items, options()).ok, 1);
        QVERIFY(!m_last[0].resumed);
        QCOMPARE(QFileInfo(m_dir->filePath(QStringLiteral("data.bin"))).size(), changed.size());
    }

    void serverWithoutRangeRestartsCleanly() {
        const qint64 size = 2 * 1024 * 1024;
        const QList<DownloadItem> items{{demo(QStringLiteral("/bytes/%1?norange=1").arg(size)),
                                         demoSha256(size), QStringLiteral("plain.bin")}};
        auto o = options();
        o.bandwidth = 1024 * 1024;
        interruptAtBytes(512 * 1024);
        run(items, o);
        QVERIFY(QFile::exists(m_dir->filePath(QStringLiteral("plain.bin.part"))));
        const auto s = run(items, options());
        QCOMPARE(s.ok, 1);
        QVERIFY(!m_last[0].resumed);
        QCOMPARE(s.bytes, size); // it started over
        QCOMPARE(fileSha256(m_dir->filePath(QStringLiteral("plain.bin"))), demoSha256(size));
    }

    void checksumMismatchIsNotFinalized() {
        const QString wrong(64, u'a');
        const auto s = run({{demo(QStringLiteral("/bytes/5000")), wrong, {}}}, options());
        QCOMPARE(s.failed, 1);
        QCOMPARE(m_last[0].state, DownloadState::Failed);
        QVERIFY2(m_last[0].error.startsWith(QStringLiteral("SHA-256 mismatch: expected aaaa")),
                 qPrintable(m_last[0].error));
        QVERIFY(filesInDir().isEmpty());
    }

    // The hash runs on the compute pool, block by block, while the body arrives: one wrong byte
    // anywhere in a body of many blocks still fails the file, with its reason.
    void aBodyOneByteOffFailsItsChecksum_data() {
        QTest::addColumn<qint64>("offset");
        QTest::newRow("first byte") << qint64(0);
        QTest::newRow("a byte several read blocks in") << qint64(5 * 1024 * 1024 + 7);
        QTest::newRow("last byte") << qint64(8 * 1024 * 1024 - 1);
    }

    void aBodyOneByteOffFailsItsChecksum() {
        QFETCH(qint64, offset);
        const qint64 size = 8 * 1024 * 1024;
        QByteArray expected(size, Qt::Uninitialized);
        demo::fillDemoBytes(expected.data(), 0, size);
        expected[offset] = char(expected[offset] ^ 0x01);
        const QString digest = QString::fromLatin1(
            QCryptographicHash::hash(expected, QCryptographicHash::Sha256).toHex());
        const auto s =
            run({{demo(QStringLiteral("/bytes/%1").arg(size)), digest, QStringLiteral("big.bin")}},
                options());
        QCOMPARE(s.failed, 1);
        QCOMPARE(m_last[0].state, DownloadState::Failed);
        QVERIFY2(m_last[0].error.startsWith(QStringLiteral("SHA-256 mismatch: expected ") + digest +
                                            QStringLiteral(", got ") + demoSha256(size)),
                 qPrintable(m_last[0].error));
        QVERIFY(filesInDir().isEmpty());
    }

    // A resumed download's digest covers the whole file: the part already on disk is read back
    // and hashed before the new bytes, so a byte that changed on disk while it waited is caught.
    void aResumedDownloadVerifiesThePartAlreadyOnDisk() {
        const qint64 size = 3 * 1024 * 1024;
        const QList<DownloadItem> items{{demo(QStringLiteral("/bytes/%1").arg(size)),
                                         demoSha256(size), QStringLiteral("r.bin")}};
        auto o = options();
        o.bandwidth = 2 * 1024 * 1024;
        interruptAtBytes(1024 * 1024);
        QCOMPARE(run(items, o).unfinished, 1);
        const QString part = m_dir->filePath(QStringLiteral("r.bin.part"));
        const qint64 partial = QFileInfo(part).size();
        QVERIFY(partial > 1000 && partial < size);
        {
            QFile f(part);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.seek(1000));
            char c = 0;
            QVERIFY(f.getChar(&c));
            QVERIFY(f.seek(1000));
            QVERIFY(f.putChar(char(c ^ 0x01)));
        }
        const auto second = run(items, options());
        QVERIFY(m_last[0].resumed);
        QCOMPARE(second.bytes, size - partial); // only the rest was fetched...
        QCOMPARE(second.failed, 1);             // ...and the whole file was hashed
        QVERIFY2(m_last[0].error.startsWith(QStringLiteral("SHA-256 mismatch")),
                 qPrintable(m_last[0].error));
        QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("r.bin"))));
    }

    // Resuming hashes the part already on disk on the compute pool. Pausing the file stops that
    // read-back too, while the run goes on, instead of leaving the pool reading a large file for
    // nobody (a resume hashes it again). Cancelling ends the same way.
    void pausingAResumedDownloadStopsHashingThePartOnDisk() {
        const qint64 size = 1LL << 30;
        const qint64 onDisk = 512LL * 1024 * 1024;
        const QList<DownloadItem> items{{demo(QStringLiteral("/bytes/%1").arg(size)),
                                         QString(64, u'a'), QStringLiteral("huge.bin")}};
        auto o = options();
        o.bandwidth = 2 * 1024 * 1024;
        interruptAtBytes(512 * 1024);
        QCOMPARE(run(items, o).unfinished, 1);
        {
            QFile part(m_dir->filePath(QStringLiteral("huge.bin.part")));
            QVERIFY(part.resize(onDisk)); // sparse: a big prefix to read back, no disk used
        }
        onceAtBytes(0, onDisk, [this] { m_downloader->pause(0); });
        const qint64 readBefore = bytesReadByThisProcess();
        qint64 readWhilePaused = -1;
        connect(m_downloader, &fetch::Downloader::progress, m_downloader,
                [&](const fetch::DownloadProgress &p) {
                    if (p.state != DownloadState::Paused || readWhilePaused >= 0)
                        return;
                    // Whatever the pool still had to do for the paused file is done after this.
                    compute::ComputePool::pool().waitForDone();
                    readWhilePaused = bytesReadByThisProcess() - readBefore;
                    QTimer::singleShot(0, m_downloader, [this] { m_downloader->cancel(0); });
                });
        const auto s = run(items, o);
        QVERIFY(m_last[0].resumed);
        QCOMPARE(s.cancelled, 1);
        QVERIFY(readWhilePaused >= 0);
        QVERIFY2(readWhilePaused < onDisk / 2, qPrintable(QString::number(readWhilePaused)));
    }

    void eachFailureIsClearAndTheOthersComplete() {
        const QList<DownloadItem> items{
            {demo(QStringLiteral("/nothing/here.bin")), {}, {}},
            {QUrl(QStringLiteral("http://127.0.0.1:%1/x.bin").arg(closedPort())), {}, {}},
            {demo(QStringLiteral("/bytes/20000")), {}, QStringLiteral("good.bin")},
        };
        auto o = options();
        o.retries = 0;
        const auto s = run(items, o);
        QCOMPARE(s.ok, 1);
        QCOMPARE(s.failed, 2);
        QVERIFY2(m_last[0].error.contains(QStringLiteral("404")), qPrintable(m_last[0].error));
        QVERIFY2(m_last[1].error.contains(QStringLiteral("connection refused")),
                 qPrintable(m_last[1].error));
        QCOMPARE(filesInDir(), QStringList{QStringLiteral("good.bin")});
    }

    // Issue 12: an error page's body went to a .part that was never opened ("cannot write :
    // Unknown error"), was never retried, and Qt complained on stderr.
    void nginxErrorPagesAreReportedAsTheirStatus_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("error");
        QTest::newRow("404 page") << QStringLiteral("nope.bin")
                                  << QStringLiteral("HTTP 404 Not Found");
        QTest::newRow("403 page (folder without an index)")
            << QStringLiteral("sub/") << QStringLiteral("HTTP 403 Forbidden");
    }

    void nginxErrorPagesAreReportedAsTheirStatus() {
        QFETCH(QString, path);
        QFETCH(QString, error);
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".")));
        test::NginxServer nginx;
        if (!nginx.isRunning())
            QSKIP("nginx is not installed (packaging/debian-packages.txt lists it)");
        QVERIFY(QDir(nginx.root()).mkpath(QStringLiteral("sub")));
        const auto s = run({{nginx.url(path), {}, {}}}, options());
        QCOMPARE(s.failed, 1);
        QCOMPARE(m_last[0].state, DownloadState::Failed);
        QCOMPARE(m_last[0].error, error);
        QCOMPARE(filesInDir(), QStringList()); // no .part, no sidecar
    }

    void retryableStatusesWithABodyAreRetried_data() {
        QTest::addColumn<int>("status");
        for (const int status : {429, 500, 502, 503, 504})
            QTest::newRow(qPrintable(QString::number(status))) << status;
    }

    void retryableStatusesWithABodyAreRetried() {
        QFETCH(int, status);
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".")));
        // Two JSON error answers (one with Retry-After), then the file.
        const QString path =
            QStringLiteral("/fail-first/r%1?n=2&status=%1&retry-after=1&bytes=5000").arg(status);
        QElapsedTimer wall;
        wall.start();
        const auto s = run({{demo(path), {}, QStringLiteral("r.bin")}}, options());
        QVERIFY2(s.ok == 1, qPrintable(m_last[0].error));
        QCOMPARE(QFileInfo(m_dir->filePath(QStringLiteral("r.bin"))).size(), qint64(5000));
        QCOMPARE(filesInDir(), QStringList{QStringLiteral("r.bin")});
        if (status == 429 || status == 503) // Retry-After: 1 was honoured, twice
            QVERIFY2(wall.elapsed() >= 1900, qPrintable(QString::number(wall.elapsed())));
    }

    void rateLimitedBatchAllArrives() {
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".")));
        QList<DownloadItem> items;
        for (int i = 1; i <= 8; ++i)
            items << DownloadItem{demo(QStringLiteral("/limited/f%1?rps=2").arg(i)), {}, {}};
        const auto s = run(items, options(8));
        QCOMPARE(s.ok, 8);
        QCOMPARE(filesInDir().size(), 8);
    }

    // Issue 12: a rerun downloaded every complete file again, then failed it with "already
    // exists" and left .part copies beside it.
    void rerunSkipsCompleteFiles_data() {
        QTest::addColumn<bool>("withChecksums");
        QTest::newRow("sizes probed with Range") << false;
        QTest::newRow("checksums given: no request for a known name") << true;
    }

    void rerunSkipsCompleteFiles() {
        QFETCH(bool, withChecksums);
        const QList<DownloadItem> items{
            {demo(QStringLiteral("/bytes/300000")), withChecksums ? demoSha256(300000) : QString(),
             QStringLiteral("a.bin")},
            {demo(QStringLiteral("/bytes/20000?norange=1")),
             withChecksums ? demoSha256(20000) : QString(), QStringLiteral("b.bin")},
            // Named by the server: found complete once the answer's headers name it.
            {demo(QStringLiteral("/bytes/7000?name=served.bin")),
             withChecksums ? demoSha256(7000) : QString(),
             {}}};
        QCOMPARE(run(items, options()).ok, 3);
        const qint64 requestsBefore = m_server->requestCount();
        m_all.clear();
        const auto again = run(items, options());
        QCOMPARE(again.ok, 3);
        QCOMPARE(again.failed, 0);
        QCOMPARE(again.bytes, qint64(0)); // no body came again
        QCOMPARE(again.alreadyComplete, 3);
        QVERIFY(m_last[0].alreadyComplete && m_last[1].alreadyComplete &&
                m_last[2].alreadyComplete);
        QCOMPARE(m_last[0].bytes, qint64(300000));
        QCOMPARE(m_server->requestCount() - requestsBefore, withChecksums ? 1 : 3);
        QCOMPARE(filesInDir(), (QStringList{QStringLiteral("a.bin"), QStringLiteral("b.bin"),
                                            QStringLiteral("served.bin")}));
        QCOMPARE(fileSha256(m_dir->filePath(QStringLiteral("a.bin"))), demoSha256(300000));
    }

    void existingFileThatDiffersIsKept_data() {
        QTest::addColumn<bool>("withChecksum");
        QTest::addColumn<QString>("error");
        QTest::newRow("other size") << false
                                    << QStringLiteral("already exists with 4 bytes, "
                                                      "the server's file has 5000");
        QTest::newRow("other checksum")
            << true << QStringLiteral("already exists and does not match its SHA-256");
    }

    void existingFileThatDiffersIsKept() {
        QFETCH(bool, withChecksum);
        QFETCH(QString, error);
        QFile f(m_dir->filePath(QStringLiteral("keep.bin")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("mine");
        f.close();
        const qint64 requestsBefore = m_server->requestCount();
        const auto s =
            run({{demo(QStringLiteral("/bytes/5000")), withChecksum ? demoSha256(5000) : QString(),
                  QStringLiteral("keep.bin")}},
                options());
        QCOMPARE(s.failed, 1);
        QVERIFY2(m_last[0].error.contains(error), qPrintable(m_last[0].error));
        QCOMPARE(s.bytes, qint64(0));
        if (withChecksum)
            QCOMPARE(m_server->requestCount(), requestsBefore);
        QCOMPARE(QFileInfo(f.fileName()).size(), qint64(4));
        QCOMPARE(filesInDir(), QStringList{QStringLiteral("keep.bin")});
    }

    void existingFileAndAServerWithoutASizeIsKept() {
        test::HostileServer server([&](QTcpSocket *s, const QByteArray &, int) {
            s->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\nnew");
            s->disconnectFromHost();
        });
        QFile f(m_dir->filePath(QStringLiteral("f.bin")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("mine");
        f.close();
        const auto s =
            run({{server.url(QStringLiteral("/f.bin")), {}, QStringLiteral("f.bin")}}, options());
        QCOMPARE(s.failed, 1);
        QVERIFY2(m_last[0].error.contains(QStringLiteral("did not give a size")),
                 qPrintable(m_last[0].error));
        QCOMPARE(QFileInfo(f.fileName()).size(), qint64(4));
        QCOMPARE(filesInDir(), QStringList{QStringLiteral("f.bin")});
    }

    // The trial's story on a real nginx: Ctrl+C mid-batch, rerun. The finished files are skipped
    // (and the .part copies an older Vigil left beside them go), the interrupted one resumes
    // with a 206, and the rerun ends with all ok.
    void rerunAfterAnInterruptionEndsAllOk() {
        test::NginxServer nginx;
        if (!nginx.isRunning())
            QSKIP("nginx is not installed (packaging/debian-packages.txt lists it)");
        QList<DownloadItem> items;
        QByteArray big(3 * 1024 * 1024, Qt::Uninitialized);
        demo::fillDemoBytes(big.data(), 3, big.size());
        for (const QString &name :
             {QStringLiteral("one.bin"), QStringLiteral("two.bin"), QStringLiteral("big.bin")}) {
            QFile f(nginx.root() + u'/' + name);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(name == QLatin1String("big.bin") ? big : name.toUtf8().repeated(1000));
            items << DownloadItem{nginx.url(name), {}, {}};
        }
        auto o = options(1);
        o.bandwidth = 3 * 1024 * 1024;
        onceAtBytes(2, 1024 * 1024, [this] { m_downloader->interrupt(); });
        const auto first = run(items, o);
        QCOMPARE(first.ok, 2);
        QCOMPARE(first.unfinished, 1);
        // What the trial found beside a complete file after an older Vigil's rerun.
        QVERIFY(QFile::copy(m_dir->filePath(QStringLiteral("one.bin")),
                            m_dir->filePath(QStringLiteral("one.bin.part"))));
        QFile sidecar(m_dir->filePath(QStringLiteral("one.bin.part.json")));
        QVERIFY(sidecar.open(QIODevice::WriteOnly));
        sidecar.write("{\"url\":\"" + items[0].url.toString().toUtf8() + "\"}");
        sidecar.close();
        const auto again = run(items, options(1));
        QCOMPARE(again.ok, 3);
        QCOMPARE(again.failed + again.cancelled + again.unfinished, 0);
        QVERIFY(m_last[0].alreadyComplete && m_last[1].alreadyComplete);
        QVERIFY(m_last[2].resumed && !m_last[2].alreadyComplete);
        QCOMPARE(again.bytes, big.size() - (first.bytes - 2 * 7000));
        QCOMPARE(filesInDir(), (QStringList{QStringLiteral("big.bin"), QStringLiteral("one.bin"),
                                            QStringLiteral("two.bin")}));
        QCOMPARE(
            fileSha256(m_dir->filePath(QStringLiteral("big.bin"))),
            QString::fromLatin1(QCryptographicHash::hash(big, QCryptographicHash::Sha256).toHex()));
    }

    void aRerunOfAUrlWithoutANameSkipsItsFile() {
        // "http://host/" names no file: it is saved as download-1, and a rerun must find it there
        // (it downloaded it again, then failed with "already exists", on every rerun).
        test::NginxServer nginx;
        if (!nginx.isRunning())
            QSKIP("nginx is not installed (packaging/debian-packages.txt lists it)");
        QFile index(nginx.root() + QStringLiteral("/index.html"));
        QVERIFY(index.open(QIODevice::WriteOnly));
        index.write(QByteArray("<p>home</p>").repeated(100));
        index.close();
        const QList<DownloadItem> items{{nginx.url(QString()), {}, {}}};
        const auto first = run(items, options(1));
        QCOMPARE(first.ok, 1);
        QCOMPARE(filesInDir(), QStringList{QStringLiteral("download-1")});
        const auto again = run(items, options(1));
        QCOMPARE(again.ok, 1);
        QCOMPARE(again.failed, 0);
        QVERIFY(m_last[0].alreadyComplete);
        QCOMPARE(again.bytes, 0);
        QCOMPARE(filesInDir(), QStringList{QStringLiteral("download-1")});
    }

    void unwritableFolderIsAClearError() {
        const QString notADir = m_dir->filePath(QStringLiteral("a-file"));
        QFile f(notADir);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        auto o = options();
        o.outDir = notADir + QStringLiteral("/sub");
        const auto s = run({{demo(QStringLiteral("/bytes/100")), {}, {}},
                            {demo(QStringLiteral("/bytes/200")), {}, {}}},
                           o);
        QCOMPARE(s.failed, 2);
        QVERIFY2(m_last[0].error.contains(QStringLiteral("cannot create or write the folder")),
                 qPrintable(m_last[0].error));
    }

    void hostileNamesStayInTheFolder_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("expected");
        QTest::newRow("target with ../")
            << QStringLiteral("/bytes/10") << QStringLiteral("../escape.bin")
            << QStringLiteral("escape.bin");
        QTest::newRow("absolute target")
            << QStringLiteral("/bytes/10") << QStringLiteral("/etc/passwd")
            << QStringLiteral("passwd");
        QTest::newRow("server name with ../") << QStringLiteral("/bytes/10?name=..%2F..%2Fevil.sh")
                                              << QString() << QStringLiteral("evil.sh");
        QTest::newRow("server name that is only dots")
            << QStringLiteral("/bytes/10?name=..") << QString() << QStringLiteral("10");
        QTest::newRow("reserved device name")
            << QStringLiteral("/bytes/10?name=CON.txt") << QString() << QStringLiteral("_CON.txt");
    }

    void hostileNamesStayInTheFolder() {
        QFETCH(QString, path);
        QFETCH(QString, target);
        QFETCH(QString, expected);
        QCOMPARE(run({{demo(path), {}, target}}, options()).ok, 1);
        QCOMPARE(filesInDir(), QStringList{expected});
        QVERIFY(!QFile::exists(QDir(m_dir->path()).filePath(QStringLiteral("../escape.bin"))));
    }

    void sameNameFromTwoUrlsGetsTwoFiles() {
        const auto s =
            run({{demo(QStringLiteral("/bytes/1000?x=1")), {}, QStringLiteral("data.bin")},
                 {demo(QStringLiteral("/bytes/2000?x=2")), {}, QStringLiteral("data.bin")}},
                options());
        QCOMPARE(s.ok, 2);
        QCOMPARE(filesInDir(),
                 (QStringList{QStringLiteral("data-2.bin"), QStringLiteral("data.bin")}));
        QCOMPARE(QFileInfo(m_dir->filePath(QStringLiteral("data-2.bin"))).size(), qint64(2000));
    }

    void existingFileIsNotOverwrittenUnlessAsked() {
        QFile f(m_dir->filePath(QStringLiteral("keep.bin")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("mine");
        f.close();
        const QList<DownloadItem> items{
            {demo(QStringLiteral("/bytes/1000")), {}, QStringLiteral("keep.bin")}};
        QCOMPARE(run(items, options()).failed, 1);
        QVERIFY(m_last[0].error.contains(QStringLiteral("already exists")));
        QCOMPARE(QFileInfo(m_dir->filePath(QStringLiteral("keep.bin"))).size(), qint64(4));
        auto o = options();
        o.overwrite = true;
        QCOMPARE(run(items, o).ok, 1);
        QCOMPARE(QFileInfo(m_dir->filePath(QStringLiteral("keep.bin"))).size(), qint64(1000));
    }

    void bandwidthCapHoldsWithinTenPercent() {
        const qint64 size = 3 * 1024 * 1024;
        const qint64 cap = 1024 * 1024;
        auto o = options(2);
        o.bandwidth = cap;
        QElapsedTimer wall;
        wall.start();
        const auto s =
            run({{demo(QStringLiteral("/bytes/%1").arg(size / 2)), {}, QStringLiteral("a")},
                 {demo(QStringLiteral("/bytes/%1").arg(size / 2)), {}, QStringLiteral("b")}},
                o);
        QCOMPARE(s.ok, 2);
        const double seconds = double(wall.elapsed()) / 1000.0;
        const double expected = double(size - cap / 10) / double(cap); // less the first burst
        QVERIFY2(std::abs(seconds - expected) / expected < 0.10,
                 qPrintable(QStringLiteral("%1 s vs %2 s").arg(seconds).arg(expected)));
    }

    void concurrencyIsNeverExceeded() {
        QList<DownloadItem> items;
        for (int i = 0; i < 6; ++i)
            items << DownloadItem{demo(QStringLiteral("/bytes/%1").arg(400000 + i)), {}, {}};
        // Counted on the client: a throttled body can sit in loopback socket buffers after the
        // server has finished writing it, so the server's count would undercount.
        int active = 0, peak = 0;
        QHash<int, bool> busy;
        connect(m_downloader, &fetch::Downloader::progress, this,
                [&](const fetch::DownloadProgress &p) {
                    const bool now = p.state == DownloadState::Connecting ||
                                     p.state == DownloadState::Downloading ||
                                     p.state == DownloadState::Verifying;
                    if (now != busy.value(p.index)) {
                        active += now ? 1 : -1;
                        busy[p.index] = now;
                        peak = std::max(peak, active);
                    }
                });
        auto o = options(2);
        o.bandwidth = 4 * 1024 * 1024; // slow enough that transfers overlap
        QCOMPARE(run(items, o).ok, 6);
        QCOMPARE(peak, 2);
    }

    void pauseResumeAndCancelOneFile() {
        const QList<DownloadItem> items{
            {demo(QStringLiteral("/bytes/1500000")), demoSha256(1500000), QStringLiteral("p.bin")},
            {demo(QStringLiteral("/bytes/1500000")), {}, QStringLiteral("c.bin")}};
        auto o = options();
        o.bandwidth = 1024 * 1024;
        onceAtBytes(0, 200000, [this] {
            m_downloader->pause(0);
            m_downloader->cancel(1);
        });
        // Resumed when it reports Paused, so the test holds however long the pause takes.
        auto resumed = std::make_shared<bool>(false);
        connect(m_downloader, &fetch::Downloader::progress, m_downloader,
                [this, resumed](const fetch::DownloadProgress &p) {
                    if (p.index == 0 && p.state == DownloadState::Paused && !*resumed) {
                        *resumed = true;
                        QTimer::singleShot(0, m_downloader, [this] { m_downloader->resume(0); });
                    }
                });
        const auto s = run(items, o);
        QCOMPARE(s.ok, 1);
        QCOMPARE(s.cancelled, 1);
        QVERIFY(m_last[0].resumed);
        QCOMPARE(fileSha256(m_dir->filePath(QStringLiteral("p.bin"))), demoSha256(1500000));
        QCOMPARE(filesInDir(),
                 QStringList{QStringLiteral("p.bin")}); // the cancelled one left nothing
    }

    // The summary counts final states: an item that failed and was then resumed (and done) or
    // cancelled counts once, as what it ended as.
    void aFailedItemCountsOnceInItsFinalState_data() {
        QTest::addColumn<bool>("resumeIt");
        QTest::addColumn<int>("ok");
        QTest::addColumn<int>("cancelled");
        QTest::newRow("resumed after a 404, then done") << true << 2 << 0;
        QTest::newRow("cancelled after a 404") << false << 1 << 1;
    }

    void aFailedItemCountsOnceInItsFinalState() {
        QFETCH(bool, resumeIt);
        QFETCH(int, ok);
        QFETCH(int, cancelled);
        // Item 0 fails at once (a 404 the first time only); item 1 is slow, so the run is still
        // going when item 0 is resumed or cancelled.
        const QList<DownloadItem> items{
            {demo(QStringLiteral("/fail-first/x?n=1&status=404&bytes=5000")),
             {},
             QStringLiteral("x.bin")},
            {demo(QStringLiteral("/bytes/600000")), {}, QStringLiteral("slow.bin")}};
        auto o = options();
        o.bandwidth = 1024 * 1024;
        int failures = 0;
        const auto c = connect(m_downloader, &fetch::Downloader::progress, this,
                               [&](const fetch::DownloadProgress &p) {
                                   if (p.index != 0 || p.state != DownloadState::Failed)
                                       return;
                                   ++failures;
                                   QTimer::singleShot(0, m_downloader, [this, resumeIt] {
                                       resumeIt ? m_downloader->resume(0) : m_downloader->cancel(0);
                                   });
                               });
        const auto s = run(items, o);
        disconnect(c);
        QCOMPARE(failures, 1);
        QCOMPARE(m_last[1].state, DownloadState::Done);
        QCOMPARE(m_last[0].state, resumeIt ? DownloadState::Done : DownloadState::Cancelled);
        QCOMPARE(s.ok, ok);
        QCOMPARE(s.failed, 0);
        QCOMPARE(s.cancelled, cancelled);
        QCOMPARE(s.unfinished, 0);
    }

    // Issue 12: a rerun with a checksum hashes the file already under its name; Cancel, Pause and
    // Ctrl+C used to wait for the whole hash (seconds for a multi-GB file). The file is sparse: 1
    // GiB of zeros costs no disk, and its hash takes long enough that reading it all shows.
    void stoppingTheCheckOfAnExistingFileStopsTheHash_data() {
        QTest::addColumn<QString>("how");
        QTest::newRow("cancel: Cancelled") << QStringLiteral("cancel");
        QTest::newRow("pause: Paused, and a resume checks again") << QStringLiteral("pause");
        QTest::newRow("interrupt (Ctrl+C): Paused, run() returns") << QStringLiteral("interrupt");
    }

    void stoppingTheCheckOfAnExistingFileStopsTheHash() {
        QFETCH(QString, how);
        const qint64 size = 1LL << 30;
        const QString path = m_dir->filePath(QStringLiteral("big.bin"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly) && f.resize(size));
        }
        static const QString digest = fileSha256(path); // every row's file is the same zeros
        QVERIFY(!digest.isEmpty());
        auto stopped = std::make_shared<bool>(false);
        connect(m_downloader, &fetch::Downloader::progress, m_downloader,
                [this, stopped, how](const fetch::DownloadProgress &p) {
                    if (p.state == DownloadState::Verifying && !*stopped) {
                        *stopped = true;
                        QTimer::singleShot(0, m_downloader, [this, how] {
                            if (how == QLatin1String("cancel"))
                                m_downloader->cancel(0);
                            else if (how == QLatin1String("pause"))
                                m_downloader->pause(0);
                            else
                                m_downloader->interrupt();
                        });
                    } else if (p.state == DownloadState::Paused && how == QLatin1String("pause")) {
                        QTimer::singleShot(0, m_downloader, [this] { m_downloader->resume(0); });
                    }
                });
        const qint64 readBefore = bytesReadByThisProcess();
        const auto s =
            run({{demo(QStringLiteral("/bytes/%1").arg(size)), digest, QStringLiteral("big.bin")}},
                options());
        const qint64 read = bytesReadByThisProcess() - readBefore;
        QVERIFY(*stopped);
        QCOMPARE(s.bytes, qint64(0));
        QVERIFY(QFile::exists(path)); // stopping a check never removes the file it checks
        QCOMPARE(QFileInfo(path).size(), size);
        bool sawPaused = false;
        for (const auto &p : m_all)
            sawPaused |= p.state == DownloadState::Paused;
        if (how == QLatin1String("cancel")) {
            // The stop comes one loop pass after the check began: the hash read a little at most.
            QVERIFY2(read < size / 2, qPrintable(QString::number(read)));
            QCOMPARE(m_last[0].state, DownloadState::Cancelled);
            QCOMPARE(s.cancelled, 1);
        } else if (how == QLatin1String("pause")) {
            QVERIFY(sawPaused);
            QCOMPARE(m_last[0].state, DownloadState::Done);
            QVERIFY(m_last[0].alreadyComplete);
            QCOMPARE(s.alreadyComplete, 1);
            // The paused check read little; the one after the resume read it all, once.
            QVERIFY2(read >= size && read < size + size / 2, qPrintable(QString::number(read)));
        } else {
            QVERIFY2(read < size / 2, qPrintable(QString::number(read)));
            QCOMPARE(m_last[0].state, DownloadState::Paused);
            QCOMPARE(s.unfinished, 1);
        }
    }

    void verifyingABigFileKeepsTheLoopResponsive() {
        const qint64 size = 256LL * 1024 * 1024;
        const QString expected = demoSha256(size); // before the probe starts: this blocks
        async::LoopLagProbe probe(5ms, 5000);
        probe.start();
        const auto s =
            run({{demo(QStringLiteral("/bytes/%1").arg(size)), expected, {}}}, options());
        QCOMPARE(s.ok, 1);
        bool sawVerifying = false;
        for (const auto &p : m_all)
            sawVerifying |= p.state == DownloadState::Verifying;
        QVERIFY(sawVerifying);
        // Hashing 256 MiB takes about a second of CPU (several under ASan): on the GUI thread that
        // would be the lag. A loop blocked for the whole download would tick once or twice and
        // show no lag at all. The bound leaves room for a loaded 2-core machine under ASan (307 ms
        // was seen with another Vigil running beside the suite), not for the hash.
        QVERIFY2(probe.stats().count() >= 20, qPrintable(QString::number(probe.stats().count())));
        QVERIFY2(probe.maxMs() < 500, qPrintable(QString::number(probe.maxMs())));
    }

    void namesAndListsParse_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << QStringLiteral("report.pdf") << QStringLiteral("report.pdf");
        QTest::newRow("NUL and control chars")
            << QStringLiteral("a\u0000b\u0007c.txt") << QStringLiteral("abc.txt");
        QTest::newRow("windows separators")
            << QStringLiteral("..\\..\\boot.ini") << QStringLiteral("boot.ini");
        QTest::newRow("illegal characters")
            << QStringLiteral("a:b*c?.txt") << QStringLiteral("a_b_c_.txt");
        QTest::newRow("hidden dot file") << QStringLiteral(".bashrc") << QStringLiteral("bashrc");
        QTest::newRow("LPT1") << QStringLiteral("lpt1.log") << QStringLiteral("_lpt1.log");
        QTest::newRow("only dots") << QStringLiteral("...") << QString();
    }

    void namesAndListsParse() {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(fetch::sanitizeFileName(input), expected);
    }

    void contentDispositionAndChecksumsAndRates() {
        QCOMPARE(fetch::fileNameFromContentDisposition("attachment; filename=\"a b.txt\""),
                 QStringLiteral("a b.txt"));
        QCOMPARE(fetch::fileNameFromContentDisposition("attachment; filename=plain.bin; size=3"),
                 QStringLiteral("plain.bin"));
        QCOMPARE(fetch::fileNameFromContentDisposition(
                     "attachment; filename=\"x.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt"),
                 QStringLiteral("€ rates.txt"));
        QVERIFY(fetch::fileNameFromContentDisposition("inline").isEmpty());
        const QByteArray sums = QByteArray(64, 'A') + "  dir/one.bin\n" + QByteArray(64, 'b') +
                                " *two.bin\n\nnot a line\n";
        const auto list = fetch::parseSha256Sums(sums);
        QCOMPARE(list.digests.value(QStringLiteral("one.bin")), QString(64, u'a'));
        QCOMPARE(list.digests.value(QStringLiteral("two.bin")), QString(64, u'b'));
        QCOMPARE(list.problems,
                 QStringList{QStringLiteral("line 4: not \"<sha256>  <file name>\"")});
        // One convention with mb_per_s and the progress line's MB/s: M is 10^6; Mi is 2^20.
        QCOMPARE(fetch::parseByteRate(QStringLiteral("500K")), std::optional<qint64>(500000));
        QCOMPARE(fetch::parseByteRate(QStringLiteral("2M")), std::optional<qint64>(2000000));
        QCOMPARE(fetch::parseByteRate(QStringLiteral("2MB")), std::optional<qint64>(2000000));
        QCOMPARE(fetch::parseByteRate(QStringLiteral("1.5G")), std::optional<qint64>(1500000000));
        QCOMPARE(fetch::parseByteRate(QStringLiteral("2Mi")), std::optional<qint64>(2097152));
        QCOMPARE(fetch::parseByteRate(QStringLiteral("500KiB")), std::optional<qint64>(512000));
        QCOMPARE(fetch::parseByteRate(QStringLiteral("1Gi")), std::optional<qint64>(1073741824));
        QCOMPARE(fetch::parseByteRate(QStringLiteral("12345")), std::optional<qint64>(12345));
        QVERIFY(!fetch::parseByteRate(QStringLiteral("2Mb"))); // bits? refused, not guessed
        QVERIFY(!fetch::parseByteRate(QStringLiteral("2i")));
        QVERIFY(!fetch::parseByteRate(QStringLiteral("fast")));
        QVERIFY(!fetch::parseByteRate(QStringLiteral("-3M")));
        QVERIFY(!fetch::parseByteRate(QStringLiteral("0")));
    }

    // Issue 12: cancelled and interrupted files were counted as failed, and mbps= was
    // megabytes per second.
    void summaryLineCountsEachEndingApart() {
        fetch::DownloadSummary s = fetch::DownloadSummary::fromStates(
            {DownloadState::Done, DownloadState::Done, DownloadState::Failed,
             DownloadState::Cancelled, DownloadState::Cancelled, DownloadState::Paused});
        s.alreadyComplete = 1;
        s.bytes = 5000000;
        s.wallS = 2;
        s.throttled = 3;
        QCOMPARE(s.line(), QStringLiteral("downloaded ok=2 already_complete=1 failed=1 cancelled=2 "
                                          "interrupted=1 bytes=5000000 wall_s=2.000 "
                                          "mb_per_s=2.5 throttled=3"));
    }

    void aCutOrMisframedBodyNeverBecomesAFile_data() {
        // How the server ends its answer: "fin" or "rst" after a body without a length, or a
        // chunk-size line.
        QTest::addColumn<QByteArray>("ending");
        QTest::addColumn<bool>("whole");
        QTest::newRow("FIN without length") << QByteArray("fin") << true;
        QTest::newRow("RST without length") << QByteArray("rst") << false;
        QTest::newRow("chunk size zz") << QByteArray("zz") << false;
        QTest::newRow("chunk size -1") << QByteArray("-1") << false;
        QTest::newRow("chunk size 2^63") << QByteArray("8000000000000000") << false;
    }

    void aCutOrMisframedBodyNeverBecomesAFile() {
        QFETCH(QByteArray, ending);
        QFETCH(bool, whole);
        const QByteArray body(300000, 'f');
        test::HostileServer server([&](QTcpSocket *s, const QByteArray &, int) {
            if (ending == "fin" || ending == "rst") {
                s->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n" +
                         body);
                s->flush();
                if (ending == "rst")
                    return test::HostileServer::reset(s);
            } else {
                s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + ending +
                         "\r\nhello\r\n0\r\n\r\n");
            }
            s->disconnectFromHost();
        });
        auto o = options(1);
        o.retries = 0;
        const auto s =
            run({{server.url(QStringLiteral("/f.bin")), {}, QStringLiteral("f.bin")}}, o);
        const QString final = m_dir->filePath(QStringLiteral("f.bin"));
        if (whole) {
            QCOMPARE(s.ok, 1);
            QCOMPARE(QFileInfo(final).size(), body.size());
        } else {
            QCOMPARE(s.failed, 1);
            QVERIFY2(!QFile::exists(final), qPrintable(filesInDir().join(u' ')));
            QVERIFY2(!m_last[0].error.isEmpty(), "no reason given");
        }
    }
};

QTEST_GUILESS_MAIN(TestDownloader)
#include "tst_downloader.moc"
