// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"
#include "shutdown.h"

#include "demofolder.h"
#include "downloadsmodel.h"
#include "downloadsview.h"

#include "demo/demodata.h"
#include "demofixture.h"
#include "nginxserver.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace std::chrono_literals;
using namespace vigil;
using widgets::DownloadsView;

namespace {
QByteArray demoDigest(qint64 size) {
    QByteArray bytes(size, Qt::Uninitialized);
    demo::fillDemoBytes(bytes.data(), 0, size);
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QByteArray fileDigest(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly)
               ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex()
               : QByteArray();
}
} // namespace

class TestDownloadsView : public QObject {
    Q_OBJECT
    test::DemoFixture m_server;
    QTemporaryDir *m_dir = nullptr;
    QTemporaryDir m_settingsDir; // a fresh settings file, never the user's

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("VigilTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_downloadsview"));
    }

    void init() {
        // An object of the download thread left behind on the GUI thread (a timer that is not
        // a child) only shows as this warning, and then its timer never runs.
        QTest::failOnWarning(QRegularExpression(QStringLiteral("from another thread")));
        QSettings().clear();
        QVERIFY(m_server.start(8));
        m_dir = new QTemporaryDir;
    }

    void cleanup() {
        m_server.stop();
        delete m_dir;
        QSettings().clear();
    }

    void twentyUrlsDownloadWithLiveProgress() {
        DownloadsView view;
        test::ShutDownAtExit closingView(view);
        view.show();
        QStringList urls;
        for (int i = 0; i < 20; ++i)
            urls << m_server->baseUrl().toString() + QStringLiteral("/bytes/%1").arg(200000 + i);
        view.urlsEdit()->setPlainText(urls.join(u'\n'));
        view.checksumsEdit()->setPlainText(QString::fromLatin1(demoDigest(200003)) +
                                           QStringLiteral("  200003"));
        view.folderEdit()->setText(m_dir->path());
        view.limitEdit()->setText(QStringLiteral("4M"));
        QVERIFY(view.startButton()->isEnabled());
        QTest::mouseClick(view.startButton(), Qt::LeftButton);
        QVERIFY(view.isRunning());
        QCOMPARE(view.model()->rowCount(), 20);
        QTRY_VERIFY_WITH_TIMEOUT(
            view.model()
                ->data(view.model()->index(0, widgets::DownloadsModel::Bytes), Qt::DisplayRole)
                .toString()
                .contains(QStringLiteral("kB")),
            5000);
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 20000);
        QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files).size(), 20);
        for (int i = 0; i < 20; ++i)
            QCOMPARE(view.model()->row(i).state, fetch::DownloadState::Done);
        QVERIFY(view.chartPoints() >= 2);
        QVERIFY(QSettings()
                    .value(QLatin1String(DownloadsView::kSessionKey))
                    .isNull()); // finished: forgotten
    }

    void anInterruptedListIsRememberedWithoutSecretsInAPrivateFile() {
        const QString url = QStringLiteral("http://ann:pw-SEKRET@127.0.0.1:%1/bytes/3000000"
                                           "?token=t-SEKRET&name=a.bin")
                                .arg(m_server->port());
        {
            DownloadsView view;
            test::ShutDownAtExit closing(view);
            view.urlsEdit()->setPlainText(url);
            view.folderEdit()->setText(m_dir->path());
            view.limitEdit()->setText(QStringLiteral("1M"));
            view.start();
            QTRY_VERIFY_WITH_TIMEOUT(view.model()->row(0).bytes > 100000, 5000);
        } // interrupted: the list is remembered for the next start
        const QByteArray session =
            QSettings().value(QLatin1String(DownloadsView::kSessionKey)).toByteArray();
        QVERIFY(session.contains("/bytes/3000000"));
        QVERIFY2(!session.contains("SEKRET"), session.constData());
        const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                            QFileDevice::ExeGroup | QFileDevice::ReadOther |
                            QFileDevice::WriteOther | QFileDevice::ExeOther;
        QCOMPARE(int(QFile::permissions(QSettings().fileName()) & others), 0);

        // Started without its token, the list would fail and throw its partial file away: the
        // next start fills the form, says why, and waits for the user.
        const auto parts = [this] {
            return QDir(m_dir->path()).entryList({QStringLiteral("*.part")}, QDir::Files);
        };
        QCOMPARE(parts().size(), 1);
        DownloadsView next;
        test::ShutDownAtExit closingNext(next);
        QTest::qWait(300);
        QVERIFY(!next.isRunning());
        QCOMPARE(next.model()->count(), 0);
        QVERIFY2(next.problemsLabel()->text().contains(QStringLiteral("without its secrets")),
                 qPrintable(next.problemsLabel()->text()));
        QCOMPARE(parts().size(), 1);
    }

    void killAndRestartResumes() {
        const qint64 size = 3 * 1024 * 1024;
        const QStringList urls{
            m_server->baseUrl().toString() + QStringLiteral("/bytes/%1").arg(size),
            m_server->baseUrl().toString() + QStringLiteral("/bytes/%1").arg(size + 1)};
        {
            DownloadsView first;
            test::ShutDownAtExit closingFirst(first);
            first.urlsEdit()->setPlainText(urls.join(u'\n'));
            first.folderEdit()->setText(m_dir->path());
            first.limitEdit()->setText(QStringLiteral("2M"));
            first.start();
            QTRY_VERIFY_WITH_TIMEOUT(first.model()->row(0).bytes > 300000, 5000);
        } // the app quits mid-download: the view interrupts its list before it goes
        QVERIFY(QFile::exists(m_dir->filePath(QString::number(size) + QStringLiteral(".part"))));
        QVERIFY(!QFile::exists(m_dir->filePath(QString::number(size))));
        QVERIFY(!QSettings().value(QLatin1String(DownloadsView::kSessionKey)).isNull());

        DownloadsView second; // the next start finds the list and resumes it by itself
        test::ShutDownAtExit closingSecond(second);
        QTRY_VERIFY_WITH_TIMEOUT(second.isRunning(), 3000);
        QCOMPARE(second.folderEdit()->text(), m_dir->path());
        QTRY_VERIFY_WITH_TIMEOUT(!second.isRunning(), 20000);
        QVERIFY(second.model()->row(0).resumed);
        QCOMPARE(fileDigest(m_dir->filePath(QString::number(size))), demoDigest(size));
        QCOMPARE(fileDigest(m_dir->filePath(QString::number(size + 1))), demoDigest(size + 1));
    }

    // The downloads have a thread of their own: while the GUI thread is busy (drawing 16 charts,
    // or here a plain busy loop), a file still arrives. The server is nginx, in its own process,
    // since the demo server would share the blocked thread.
    void aDownloadGoesOnWhileTheGuiThreadIsBusy() {
        test::NginxServer nginx;
        if (!nginx.isRunning())
            QSKIP("nginx is not installed (packaging/debian-packages.txt lists it)");
        const qint64 size = 48 * 1024 * 1024;
        QByteArray content(size, Qt::Uninitialized);
        demo::fillDemoBytes(content.data(), 0, size);
        {
            QFile f(nginx.root() + QStringLiteral("/big.bin"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(content), size);
        }
        DownloadsView view;
        test::ShutDownAtExit closingView(view);
        view.urlsEdit()->setPlainText(nginx.url(QStringLiteral("big.bin")).toString());
        view.folderEdit()->setText(m_dir->path());
        view.limitEdit()->setText(
            QStringLiteral("16M")); // three seconds: still going after a busy one
        view.start();
        QTRY_VERIFY_WITH_TIMEOUT(view.model()->row(0).bytes > 1000000, 10000);
        const QString part = m_dir->filePath(QStringLiteral("big.bin.part"));
        const qint64 before = QFileInfo(part).size();
        for (QDeadlineTimer busy(1000); !busy.hasExpired();) {
        }
        const qint64 grown = QFileInfo(part).size() - before;
        QVERIFY2(
            grown > 2 * 1024 * 1024,
            qPrintable(
                QStringLiteral("%1 bytes arrived in a second of a busy GUI thread").arg(grown)));
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 20000);
        QCOMPARE(view.model()->row(0).state, fetch::DownloadState::Done);
        QCOMPARE(fileDigest(m_dir->filePath(QStringLiteral("big.bin"))),
                 QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
    }

    void aPausedFileStaysPausedAfterARestart() {
        const qint64 size = 2 * 1024 * 1024;
        const QStringList urls{
            m_server->baseUrl().toString() + QStringLiteral("/bytes/%1").arg(size),
            m_server->baseUrl().toString() + QStringLiteral("/bytes/%1").arg(size + 1)};
        {
            DownloadsView first;
            test::ShutDownAtExit closingFirst(first);
            first.urlsEdit()->setPlainText(urls.join(u'\n'));
            first.folderEdit()->setText(m_dir->path());
            first.limitEdit()->setText(QStringLiteral("1M"));
            first.start();
            QTRY_VERIFY_WITH_TIMEOUT(first.model()->row(1).bytes > 100000, 5000);
            first.pause(1);
            QTRY_COMPARE_WITH_TIMEOUT(first.model()->row(1).state, fetch::DownloadState::Paused,
                                      5000);
        } // the app quits with file 0 downloading and file 1 paused by the user
        const QString part1 = m_dir->filePath(QString::number(size + 1) + QStringLiteral(".part"));
        const qint64 kept = QFileInfo(part1).size();
        QVERIFY(kept > 100000);

        DownloadsView second; // file 0 resumes by itself, file 1 waits for the user
        test::ShutDownAtExit closingSecond(second);
        QTRY_VERIFY_WITH_TIMEOUT(second.isRunning(), 3000);
        QTRY_COMPARE_WITH_TIMEOUT(second.model()->row(0).state, fetch::DownloadState::Done, 20000);
        QCOMPARE(second.model()->row(1).state, fetch::DownloadState::Paused);
        QCOMPARE(QFileInfo(part1).size(), kept); // not a byte asked for
        QVERIFY(second.isRunning());             // the paused file keeps the list open
        second.resume(1);
        QTRY_VERIFY_WITH_TIMEOUT(!second.isRunning(), 20000);
        QCOMPARE(second.model()->row(1).state, fetch::DownloadState::Done);
        QVERIFY(second.model()->row(1).resumed);
        QCOMPARE(fileDigest(m_dir->filePath(QString::number(size + 1))), demoDigest(size + 1));
    }

    void resumeRetriesAFailedOrCancelledFile_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("cancel");     // else it fails by itself (a 404, then 200)
        QTest::addColumn<bool>("listRunsOn"); // another file is still downloading
        const QString failsOnce = QStringLiteral("/fail-first/f%1?n=1&status=404&bytes=300000");
        QTest::newRow("failed, list ended") << failsOnce.arg(1) << false << false;
        QTest::newRow("failed, list running") << failsOnce.arg(2) << false << true;
        QTest::newRow("cancelled, list ended") << QStringLiteral("/bytes/1500000") << true << false;
        QTest::newRow("cancelled, list running")
            << QStringLiteral("/bytes/1500001") << true << true;
    }

    void resumeRetriesAFailedOrCancelledFile() {
        QFETCH(QString, path);
        QFETCH(bool, cancel);
        QFETCH(bool, listRunsOn);
        QStringList urls{m_server->baseUrl().toString() + path};
        if (listRunsOn)
            urls << m_server->baseUrl().toString() + QStringLiteral("/bytes/2500000");
        DownloadsView view;
        test::ShutDownAtExit closingView(view);
        view.urlsEdit()->setPlainText(urls.join(u'\n'));
        view.folderEdit()->setText(m_dir->path());
        view.limitEdit()->setText(QStringLiteral("1M"));
        view.start();
        if (cancel) {
            QTRY_VERIFY_WITH_TIMEOUT(view.model()->row(0).bytes > 100000, 5000);
            view.cancel(0);
        }
        const auto stopped =
            cancel ? fetch::DownloadState::Cancelled : fetch::DownloadState::Failed;
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->row(0).state, stopped, 5000);
        if (!listRunsOn)
            QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 5000);
        QCOMPARE(view.isRunning(), listRunsOn);
        view.resume(0);
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->row(0).state, fetch::DownloadState::Done, 10000);
        const qint64 size = view.model()->row(0).total;
        QCOMPARE(fileDigest(view.model()->row(0).path), demoDigest(size));
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 10000);
        for (int i = 0; i < view.model()->count(); ++i)
            QCOMPARE(view.model()->row(i).state, fetch::DownloadState::Done);
    }

    void aRetryWaitingItsTurnCanBePausedOrCancelled_data() {
        QTest::addColumn<QString>("how");
        QTest::newRow("pause") << QStringLiteral("pause");
        QTest::newRow("pause all") << QStringLiteral("pause all");
        QTest::newRow("cancel") << QStringLiteral("cancel");
    }

    // A Resume while another retry runs waits its turn ("Queued"): Pause and Cancel must hold it
    // there, not let it start by itself when the running one ends.
    void aRetryWaitingItsTurnCanBePausedOrCancelled() {
        QFETCH(QString, how);
        const QString base = m_server->baseUrl().toString();
        DownloadsView view;
        test::ShutDownAtExit closingView(view);
        view.urlsEdit()->setPlainText(base + QStringLiteral("/bytes/1500002\n") + base +
                                      QStringLiteral("/bytes/1500003"));
        view.folderEdit()->setText(m_dir->path());
        view.limitEdit()->setText(QStringLiteral("1M"));
        view.start();
        QTRY_VERIFY_WITH_TIMEOUT(view.model()->row(1).bytes > 100000, 5000);
        view.cancel(0);
        view.cancel(1);
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 5000);
        view.resume(0); // runs alone
        QTRY_VERIFY_WITH_TIMEOUT(view.isRunning(), 5000);
        view.resume(1); // waits for it
        QCOMPARE(view.model()->row(1).state, fetch::DownloadState::Queued);
        if (how == QLatin1String("pause"))
            view.pause(1);
        else if (how == QLatin1String("pause all"))
            view.pauseAll();
        else
            view.cancel(1);
        const auto held = how == QLatin1String("cancel") ? fetch::DownloadState::Cancelled
                                                         : fetch::DownloadState::Paused;
        QCOMPARE(view.model()->row(1).state, held);
        if (how == QLatin1String("pause all")) { // it held the running one too
            QTRY_COMPARE_WITH_TIMEOUT(view.model()->row(0).state, fetch::DownloadState::Paused,
                                      5000);
            view.resume(0);
        }
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->row(0).state, fetch::DownloadState::Done, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 10000);
        QTest::qWait(300); // a retry that was still queued would start now
        QCOMPARE(view.model()->row(1).state, held);
    }

    void pauseAllLeavesAFullyReceivedFileToFinish() {
        // Pause all as the last bytes come in: under a cap, the file has all its bytes a moment
        // before its download ends.
        DownloadsView view;
        test::ShutDownAtExit closingView(view);
        view.urlsEdit()->setPlainText(m_server->baseUrl().toString() +
                                      QStringLiteral("/bytes/600000"));
        view.folderEdit()->setText(m_dir->path());
        view.limitEdit()->setText(QStringLiteral("400K"));
        bool paused = false;
        connect(&view.downloader(), &fetch::DownloadThread::progress, &view,
                [&](const fetch::DownloadProgress &p) {
                    if (!paused && p.state == fetch::DownloadState::Downloading &&
                        p.bytes == p.total) {
                        paused = true; // as a click would: from the event loop
                        QTimer::singleShot(0, &view, [&view] { view.pauseAll(); });
                    }
                });
        view.start();
        QTRY_VERIFY_WITH_TIMEOUT(paused, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(view.model()->row(0).state != fetch::DownloadState::Downloading,
                                 5000);
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->row(0).state, fetch::DownloadState::Done, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 5000);
        QCOMPARE(fileDigest(m_dir->filePath(QStringLiteral("600000"))), demoDigest(600000));
    }

    void theDemoFolderGoesAtQuitAndAfterACrashAtTheNextStart_data() {
        QTest::addColumn<bool>("finishFirst");
        QTest::newRow("quit while downloading") << false;
        QTest::newRow("quit after the list finished") << true;
    }

    void theDemoFolderGoesAtQuitAndAfterACrashAtTheNextStart() {
        QFETCH(bool, finishFirst);
        QTemporaryDir temp; // the temp dir of this test only
        QVERIFY(temp.isValid());
        const QByteArray oldTmp = qgetenv("TMPDIR");
        qputenv("TMPDIR", temp.path().toUtf8());
        const auto restoreTmp = qScopeGuard([&] { qputenv("TMPDIR", oldTmp); });
        const auto demoFolder = [&](qint64 pid) {
            const QString path = temp.filePath(QStringLiteral("vigil-demo-downloads-%1").arg(pid));
            QDir().mkpath(path);
            QFile(path + QStringLiteral("/sample-01.bin.part")).open(QIODevice::WriteOnly);
            return path;
        };
        QProcess ended;
        ended.start(QStringLiteral("true"));
        QVERIFY(ended.waitForStarted());
        const qint64 endedPid = ended.processId();
        QVERIFY(ended.waitForFinished());
        QProcess running;
        running.start(QStringLiteral("sleep"), {QStringLiteral("30")});
        QVERIFY(running.waitForStarted());
        const auto stopRunning = qScopeGuard([&] {
            running.kill();
            running.waitForFinished();
        });
        const QString crashed = demoFolder(endedPid);
        const QString alive = demoFolder(running.processId());
        const QString notOurs = temp.filePath(QStringLiteral("vigil-demo-downloads-x"));
        QDir().mkpath(notOurs);

        DownloadsView view;
        test::ShutDownAtExit closing(view);
        QVERIFY(!QFile::exists(crashed)); // its process is gone
        QVERIFY(QFile::exists(alive));    // another Vigil's demo, still running
        QVERIFY(QFile::exists(notOurs));
        const QString mine = widgets::DemoFolder::path();
        QVERIFY(mine.startsWith(temp.path()));
        view.urlsEdit()->setPlainText(m_server->baseUrl().toString() +
                                      QStringLiteral("/bytes/1000000?name=sample-01.bin"));
        view.folderEdit()->setText(mine);
        view.limitEdit()->setText(finishFirst ? QString() : QStringLiteral("500K"));
        view.start();
        if (finishFirst)
            QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 10000);
        else
            QTRY_VERIFY_WITH_TIMEOUT(view.model()->row(0).bytes > 100000, 5000);
        QVERIFY(!QDir(mine).isEmpty());
        QVERIFY(test::shutDown(view)); // what closing the window runs
        QVERIFY(!QFile::exists(mine));
        QVERIFY(QSettings().value(QLatin1String(DownloadsView::kSessionKey)).isNull());
    }

    void aRememberedDemoListIsNotResumed() {
        // An older Vigil remembered the demo's list when it quit mid-run.
        fetch::DownloadSpec demoList;
        demoList.options.outDir = widgets::DemoFolder::path();
        demoList.items << fetch::DownloadItem{m_server.url(QStringLiteral("/bytes/1000")), {}, {}};
        QSettings().setValue(QLatin1String(DownloadsView::kSessionKey),
                             fetch::sessionJson(demoList, {fetch::DownloadState::Downloading}));
        DownloadsView view;
        test::ShutDownAtExit closing(view);
        QTest::qWait(200);
        QVERIFY(!view.isRunning());
        QVERIFY(view.urlsEdit()->toPlainText().isEmpty());
        QVERIFY(QSettings().value(QLatin1String(DownloadsView::kSessionKey)).isNull());
    }

    // Issue 12: rerunning a list skips the files already on disk; their rows said "done" like the
    // ones fetched, so a user could not tell what this run downloaded.
    void aRerunShowsWhichFilesWereAlreadyComplete() {
        const QString base = m_server->baseUrl().toString();
        DownloadsView view;
        test::ShutDownAtExit closing(view);
        view.urlsEdit()->setPlainText(base + QStringLiteral("/bytes/30000?name=kept.bin\n") + base +
                                      QStringLiteral("/bytes/20000?name=again.bin"));
        // No checksums: they are matched by the URL's file name ("30000"), never the server's
        // (such a list is refused), and a complete file is found by its size alone.
        view.folderEdit()->setText(m_dir->path());
        view.start();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 10000);
        QVERIFY(QFile::remove(m_dir->filePath(QStringLiteral("again.bin"))));
        view.start();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 10000);
        QCOMPARE(view.model()->row(0).state, fetch::DownloadState::Done);
        QCOMPARE(view.model()->row(1).state, fetch::DownloadState::Done);
        const auto shown = [&view](int row, int role) {
            return view.model()
                ->data(view.model()->index(row, widgets::DownloadsModel::State), role)
                .toString();
        };
        QCOMPARE(shown(0, Qt::DisplayRole), QStringLiteral("already complete"));
        QVERIFY2(shown(0, Qt::ToolTipRole).contains(QStringLiteral("nothing was downloaded")),
                 qPrintable(shown(0, Qt::ToolTipRole)));
        QVERIFY2(shown(0, Qt::ToolTipRole).contains(m_dir->filePath(QStringLiteral("kept.bin"))),
                 qPrintable(shown(0, Qt::ToolTipRole)));
        QCOMPARE(shown(1, Qt::DisplayRole), QStringLiteral("done"));
        QCOMPARE(shown(1, Qt::ToolTipRole), m_dir->filePath(QStringLiteral("again.bin")));
        // On one line: the column is wide enough for it.
        const auto *table = view.findChild<QTableView *>();
        QVERIFY(table);
        QVERIFY(table->columnWidth(widgets::DownloadsModel::State) >
                table->fontMetrics().horizontalAdvance(shown(0, Qt::DisplayRole)));
    }

    void speedsAreInMegabytesPerSecond_data() {
        QTest::addColumn<double>("bytesPerSecond");
        QTest::addColumn<QString>("shown");
        QTest::newRow("250 kB/s") << 250e3 << QStringLiteral("0.25 MB/s");
        QTest::newRow("1.5 MB/s") << 1.5e6 << QStringLiteral("1.50 MB/s");
        QTest::newRow("12.3 MB/s") << 12.3e6 << QStringLiteral("12.3 MB/s");
        QTest::newRow("2 MiB/s") << 2.0 * 1024 * 1024 << QStringLiteral("2.10 MB/s");
    }

    void speedsAreInMegabytesPerSecond() {
        QFETCH(double, bytesPerSecond);
        QFETCH(QString, shown);
        widgets::DownloadsModel model;
        model.reset({QStringLiteral("a.bin")});
        fetch::DownloadProgress p;
        p.index = 0;
        p.state = fetch::DownloadState::Downloading;
        p.bytes = 1000;
        p.total = 100000000;
        p.bytesPerSecond = bytesPerSecond;
        model.update(p);
        QCOMPARE(
            model.data(model.index(0, widgets::DownloadsModel::Speed), Qt::DisplayRole).toString(),
            shown);
        DownloadsView view; // the bandwidth field speaks the same unit
        test::ShutDownAtExit closing(view);
        QVERIFY2(view.limitEdit()->placeholderText().contains(QStringLiteral("2M = 2 MB/s")),
                 qPrintable(view.limitEdit()->placeholderText()));
    }

    void formSaysWhatIsWrong_data() {
        QTest::addColumn<QString>("urls");
        QTest::addColumn<QString>("checksums");
        QTest::addColumn<QString>("limit");
        QTest::addColumn<QString>("message");
        QTest::newRow("no URLs") << QString() << QString() << QString()
                                 << QStringLiteral("Add at least one URL");
        QTest::newRow("not a URL")
            << QStringLiteral("http://ok.example/a\nftp://x/y") << QString() << QString()
            << QStringLiteral("URL line 2 is not an http(s) URL");
        QTest::newRow("bad checksum line")
            << QStringLiteral("http://ok.example/a") << QStringLiteral("abc  a") << QString()
            << QStringLiteral("Checksums, line 1");
        QTest::newRow("bad bandwidth") << QStringLiteral("http://ok.example/a") << QString()
                                       << QStringLiteral("fast") << QStringLiteral("Bandwidth:");
    }

    void formSaysWhatIsWrong() {
        QFETCH(QString, urls);
        QFETCH(QString, checksums);
        QFETCH(QString, limit);
        QFETCH(QString, message);
        DownloadsView view;
        test::ShutDownAtExit closingView(view);
        view.urlsEdit()->setPlainText(urls);
        view.checksumsEdit()->setPlainText(checksums);
        view.limitEdit()->setText(limit);
        view.folderEdit()->setText(m_dir->path());
        QVERIFY(!view.startButton()->isEnabled());
        QVERIFY2(view.problems().join(u'\n').contains(message),
                 qPrintable(view.problems().join(u'\n')));
    }
};

QTEST_MAIN(TestDownloadsView)
#include "tst_downloadsview.moc"
