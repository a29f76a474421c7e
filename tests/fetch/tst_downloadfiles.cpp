// SPDX-License-Identifier: Apache-2.0
// What `vigil download` does to the files in and around its folder when names collide, when
// symlinks or hard links are planted, when URLs carry passwords and when the disk fills up
// (issue 11, findings 2, 7, 8 and 16).
#include "asynctest.h"
#include "demofixture.h"
#include "hostileserver.h"

#include "fetch/downloader.h"
#include "fetch/downloadnames.h"
#include "net/httpclient.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace vigil;
using fetch::DownloadItem;
using fetch::DownloadOptions;
using fetch::DownloadState;
using vigil::test::drive;

namespace {
const QByteArray kPrecious = "precious bytes outside the download folder";

QByteArray readAll(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

bool writeFile(const QString &path, const QByteArray &bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

/// A sidecar that says the .part is a resumable partial download of @p url.
QByteArray sidecarFor(const QUrl &url, qint64 total) {
    return "{\"url\":\"" + url.toString().toUtf8() + "\",\"total\":" + QByteArray::number(total) +
           "}";
}

/// Restores RLIMIT_FSIZE (and SIGXFSZ) when the test ends, whatever it asserted.
struct FileSizeLimit {
    rlimit old{};
    void (*oldHandler)(int) = SIG_DFL;
    bool active = false;
    bool set(rlim_t bytes) {
        if (::getrlimit(RLIMIT_FSIZE, &old) != 0)
            return false;
        // Ignored SIGXFSZ: a write past the limit fails with EFBIG instead of killing the test.
        oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        active = true;
        const rlimit small{bytes, old.rlim_max};
        return ::setrlimit(RLIMIT_FSIZE, &small) == 0;
    }
    ~FileSizeLimit() {
        if (!active)
            return;
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, oldHandler);
    }
};

/// A 1 MiB tmpfs mounted for one test (root only); unmounted when the test ends.
struct TinyDisk {
    QString path;
    bool mounted = false;
    explicit TinyDisk(QString where)
        : path(std::move(where)) {
        mounted = QDir().mkpath(path) &&
                  ::mount("tmpfs", QFile::encodeName(path).constData(), "tmpfs", 0, "size=1m") == 0;
    }
    ~TinyDisk() {
        if (mounted)
            ::umount2(QFile::encodeName(path).constData(), MNT_DETACH);
    }
};
} // namespace

class TestDownloadFiles : public QObject {
    Q_OBJECT
    test::DemoFixture m_server;
    net::HttpClient *m_client = nullptr;
    fetch::Downloader *m_downloader = nullptr;
    QTemporaryDir *m_dir = nullptr;
    QTemporaryDir *m_outside = nullptr; ///< stands for the user's files elsewhere (same disk)
    QHash<int, fetch::DownloadProgress> m_last;

    QUrl demo(const QString &path) const { return m_server.url(path); }
    QString inDir(const QString &name) const { return m_dir->filePath(name); }
    DownloadOptions options(int concurrency = 1) const {
        DownloadOptions o;
        o.outDir = m_dir->path();
        o.concurrency = concurrency;
        o.retries = 0;
        return o;
    }
    fetch::DownloadSummary run(QList<DownloadItem> items, DownloadOptions o) {
        return drive(m_downloader->run(items, o)).value();
    }
    QStringList filesInDir() const {
        return QDir(m_dir->path()).entryList(QDir::Files | QDir::System, QDir::Name);
    }
    /// The outside file, with its precious content; what a planted link points at.
    QString preciousFile() const {
        const QString path = m_outside->filePath(QStringLiteral("precious.txt"));
        return writeFile(path, kPrecious) ? path : QString();
    }
    /// Asserts that item 0 was refused, nothing outside changed and no final name appeared.
    void expectRefused(const QString &outside, const QString &finalName) {
        QCOMPARE(m_last[0].state, DownloadState::Failed);
        QVERIFY2(m_last[0].error.startsWith(QStringLiteral("refusing to use ")),
                 qPrintable(m_last[0].error));
        QCOMPARE(readAll(outside), kPrecious);
        QVERIFY2(!QFileInfo(inDir(finalName)).isSymLink(), "the final name is a symlink");
        QVERIFY(!QFileInfo::exists(inDir(finalName)));
    }

private Q_SLOTS:
    void init() {
        QVERIFY(m_server.start(5));
        m_client = new net::HttpClient(async::Clock::system(), this);
        m_downloader = new fetch::Downloader(*m_client, async::Clock::system(), this);
        m_dir = new QTemporaryDir;
        m_outside = new QTemporaryDir;
        m_last.clear();
        connect(m_downloader, &fetch::Downloader::progress, this,
                [this](const fetch::DownloadProgress &p) { m_last[p.index] = p; });
    }

    void cleanup() {
        delete m_downloader;
        delete m_client;
        m_server.stop();
        delete m_dir;
        delete m_outside;
    }

    // Finding 7: item 0's server names it "3000.part", item 1's own partial file. Item 1 then
    // took the finished file for a stale partial and deleted it: ok=2, one file left.
    void serverNameEqualToAnotherItemsPartFileKeepsBoth() {
        const auto s = run({{demo(QStringLiteral("/bytes/1000?name=3000.part")), {}, {}},
                            {demo(QStringLiteral("/bytes/3000")), {}, {}}},
                           options());
        QCOMPARE(s.ok, 2);
        QCOMPARE(filesInDir(),
                 (QStringList{QStringLiteral("3000"), QStringLiteral("3000-2.part")}));
        QCOMPARE(QFileInfo(inDir(QStringLiteral("3000-2.part"))).size(), qint64(1000));
        QCOMPARE(QFileInfo(inDir(QStringLiteral("3000"))).size(), qint64(3000));
    }

    // Finding 7: two servers give the same name. With --overwrite the second silently replaced
    // the first; without it, the second failed. Both are kept, the second numbered.
    void sameServerNameTwiceKeepsBothFiles_data() {
        QTest::addColumn<bool>("overwrite");
        QTest::newRow("with --overwrite") << true;
        QTest::newRow("without --overwrite") << false;
    }

    void sameServerNameTwiceKeepsBothFiles() {
        QFETCH(bool, overwrite);
        auto o = options();
        o.overwrite = overwrite;
        const auto s = run({{demo(QStringLiteral("/bytes/1000?name=report.pdf")), {}, {}},
                            {demo(QStringLiteral("/bytes/2000?name=report.pdf")), {}, {}}},
                           o);
        QCOMPARE(s.ok, 2);
        QCOMPARE(filesInDir(),
                 (QStringList{QStringLiteral("report-2.pdf"), QStringLiteral("report.pdf")}));
        QCOMPARE(QFileInfo(inDir(QStringLiteral("report.pdf"))).size(), qint64(1000));
        QCOMPARE(QFileInfo(inDir(QStringLiteral("report-2.pdf"))).size(), qint64(2000));
        QCOMPARE(m_last[1].path, inDir(QStringLiteral("report-2.pdf")));
    }

    // The rules behind the two tests above, without a server.
    void batchNamesNeverShareAFile() {
        fetch::BatchNames names;
        QCOMPARE(names.claimPart(0, QStringLiteral("data.bin")), QStringLiteral("data.bin"));
        QCOMPARE(names.claimPart(1, QStringLiteral("data.bin")), QStringLiteral("data-2.bin"));
        QCOMPARE(names.claimPart(2, QStringLiteral("x")), QStringLiteral("x"));
        // Another item's data or sidecar, and even the item's own data, are never a final name.
        QCOMPARE(names.claimFinal(2, QStringLiteral("data.bin.part")),
                 QStringLiteral("data.bin-2.part"));
        QCOMPARE(names.claimFinal(2, QStringLiteral("data.bin.part.json")),
                 QStringLiteral("data.bin.part-2.json"));
        QCOMPARE(names.claimFinal(2, QStringLiteral("x.part")), QStringLiteral("x-2.part"));
        // Asking again gives the same answer; a name given up is free for others.
        QCOMPARE(names.claimFinal(2, QStringLiteral("x.part")), QStringLiteral("x-2.part"));
        QCOMPARE(names.claimFinal(0, QStringLiteral("report.pdf")), QStringLiteral("report.pdf"));
        QCOMPARE(names.claimFinal(1, QStringLiteral("report.pdf")), QStringLiteral("report-2.pdf"));
        QCOMPARE(names.claimFinal(3, QStringLiteral("data.bin")), QStringLiteral("data.bin"));
        // An item with no name from its URL claims its part stem late, around all of the above.
        QCOMPARE(names.claimPart(4, QStringLiteral("report.pdf")), QStringLiteral("report-3.pdf"));
    }

    // Finding 8: a NAME.part planted before the run, pointing at (or being) someone else's
    // file, with a sidecar that makes it look resumable. Vigil appended to it, and renamed the
    // symlink to the final name.
    void plantedPartFileIsRefused_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("withSidecar");
        QTest::newRow("symlink that looks resumable") << QStringLiteral("symlink") << true;
        QTest::newRow("symlink without a sidecar") << QStringLiteral("symlink") << false;
        QTest::newRow("hard link that looks resumable") << QStringLiteral("hardlink") << true;
        QTest::newRow("another user's file") << QStringLiteral("foreign") << true;
    }

    void plantedPartFileIsRefused() {
        QFETCH(QString, kind);
        QFETCH(bool, withSidecar);
        const QUrl url = demo(QStringLiteral("/bytes/5000"));
        const QString part = inDir(QStringLiteral("x.bin.part"));
        QString outside = preciousFile();
        QVERIFY(!outside.isEmpty());
        if (kind == QLatin1String("symlink")) {
            QVERIFY(QFile::link(outside, part));
        } else if (kind == QLatin1String("hardlink")) {
            QCOMPARE(
                ::link(QFile::encodeName(outside).constData(), QFile::encodeName(part).constData()),
                0);
        } else {
            if (::geteuid() != 0)
                QSKIP("only root can give a file to another user");
            QVERIFY(writeFile(part, kPrecious));
            QCOMPARE(::chown(QFile::encodeName(part).constData(), 65534, 65534), 0);
            outside = part; // the other user's file is what must stay untouched
        }
        if (withSidecar)
            QVERIFY(writeFile(part + QStringLiteral(".json"), sidecarFor(url, 5000)));
        run({{url, {}, QStringLiteral("x.bin")}}, options());
        expectRefused(outside, QStringLiteral("x.bin"));
    }

    // Finding 8: no .part when the request goes out; a symlink appears while the server takes
    // its time (planted once the request head has arrived, before the answer). Vigil truncated
    // the outside file, wrote the body into it and renamed the symlink to the final name.
    void partFileRacedInDuringTheRequestIsRefused() {
        const QString outside = preciousFile();
        const QString part = inDir(QStringLiteral("raced.bin.part"));
        bool planted = false;
        test::HostileServer server([&](QTcpSocket *socket, const QByteArray &, int) {
            planted = QFile::link(outside, part);
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
            socket->disconnectFromHost();
        });
        run({{server.url(QStringLiteral("/raced.bin")), {}, {}}}, options());
        QVERIFY(planted);
        QCOMPARE(server.heads().size(), 1);
        expectRefused(outside, QStringLiteral("raced.bin"));
    }

    // Finding 2: the sidecar of an interrupted download kept the URL's user name and password,
    // readable by everyone. Now it has neither, is 0600, and the download still resumes.
    void sidecarKeepsNoPasswordAndStillResumes() {
        const qint64 size = 3 * 1024 * 1024;
        QUrl url = demo(QStringLiteral("/bytes/%1?api_key=K-SECRET-9").arg(size));
        url.setUserName(QStringLiteral("alice"));
        url.setPassword(QStringLiteral("hunter2-secret"));
        const QList<DownloadItem> items{{url, {}, QStringLiteral("big.bin")}};
        auto o = options();
        o.bandwidth = 2 * 1024 * 1024;
        auto done = std::make_shared<bool>(false);
        connect(m_downloader, &fetch::Downloader::progress, m_downloader,
                [this, done](const fetch::DownloadProgress &p) {
                    if (*done || p.bytes < 1024 * 1024)
                        return;
                    *done = true;
                    QTimer::singleShot(0, m_downloader, [this] { m_downloader->interrupt(); });
                });
        QCOMPARE(run(items, o).unfinished, 1);
        const QString sidecar = inDir(QStringLiteral("big.bin.part.json"));
        const QByteArray json = readAll(sidecar);
        QVERIFY2(json.contains("/bytes/"), json.constData());
        QVERIFY2(!json.contains("hunter2-secret"), json.constData());
        QVERIFY2(!json.contains("alice"), json.constData());
        QVERIFY2(!json.contains("K-SECRET-9") && json.contains("api_key=REDACTED"),
                 json.constData());
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(sidecar).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));
        const qint64 partial = QFileInfo(inDir(QStringLiteral("big.bin.part"))).size();
        const auto second = run(items, options());
        QCOMPARE(second.ok, 1);
        QVERIFY(m_last[0].resumed);
        QCOMPARE(second.bytes, size - partial);
        QCOMPARE(QFileInfo(inDir(QStringLiteral("big.bin"))).size(), size);
    }

    // Finding 16: a full disk said "Unknown error". The system's words come through, with the
    // file's name. The file size limit always runs; the tmpfs needs root.
    void fullDiskGivesTheSystemsMessage_data() {
        QTest::addColumn<bool>("tmpfs");
        QTest::addColumn<QString>("expected");
        QTest::newRow("file size limit (EFBIG)") << false << QStringLiteral("File too large");
        QTest::newRow("full 1 MiB tmpfs (ENOSPC)")
            << true << QStringLiteral("No space left on device");
    }

    void fullDiskGivesTheSystemsMessage() {
        QFETCH(bool, tmpfs);
        QFETCH(QString, expected);
        auto o = options();
        std::optional<TinyDisk> disk;
        FileSizeLimit limit;
        if (tmpfs) {
            disk.emplace(inDir(QStringLiteral("tiny")));
            if (!disk->mounted)
                QSKIP("cannot mount a tmpfs here (needs root)");
            o.outDir = disk->path;
        } else {
            QVERIFY(limit.set(256 * 1024 + 1237)); // mid-chunk: a short write, then EFBIG
        }
        run({{demo(QStringLiteral("/bytes/3000000")), {}, QStringLiteral("big.bin")}}, o);
        QCOMPARE(m_last[0].state, DownloadState::Failed);
        const QString part = QDir(o.outDir).filePath(QStringLiteral("big.bin.part"));
        QCOMPARE(m_last[0].error, QStringLiteral("cannot write %1: %2").arg(part, expected));
    }
};

QTEST_GUILESS_MAIN(TestDownloadFiles)
#include "tst_downloadfiles.moc"
