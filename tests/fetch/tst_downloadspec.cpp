// SPDX-License-Identifier: Apache-2.0
#include "fetch/downloadnames.h"
#include "fetch/downloadspec.h"
#include "fetch/resumeprotocol.h"

#include <QTest>

using namespace vigil;
using fetch::DownloadForm;
using fetch::DownloadProblem;
using fetch::ResumeDecision;

Q_DECLARE_METATYPE(ResumeDecision::Kind)
Q_DECLARE_METATYPE(vigil::fetch::ExistingFileVerdict::Kind)

namespace {
DownloadForm validForm() {
    DownloadForm f;
    f.urls = QStringLiteral("http://h.example/a.bin");
    f.folder = QStringLiteral("/tmp/out");
    return f;
}

const QString kSha(64, u'c');
} // namespace

/// DownloadSpec: the one parser for download lists that the Downloads tab and the CLI share,
/// and the resume protocol's decisions.
class TestDownloadSpec : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void goodListsParse_data() {
        QTest::addColumn<QString>("urls");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("one") << QStringLiteral("http://h/a")
                             << QStringList{QStringLiteral("http://h/a")};
        QTest::newRow("comments, blanks and spaces")
            << QStringLiteral(
                   "# mirror list\n\n  https://h/a  \n\t\n#http://h/skipped\nhttp://h:8080/b\n")
            << QStringList{QStringLiteral("https://h/a"), QStringLiteral("http://h:8080/b")};
        QTest::newRow("CRLF line ends")
            << QStringLiteral("http://h/a\r\nhttp://h/b\r\n")
            << QStringList{QStringLiteral("http://h/a"), QStringLiteral("http://h/b")};
    }

    void goodListsParse() {
        QFETCH(QString, urls);
        QFETCH(QStringList, expected);
        auto form = validForm();
        form.urls = urls;
        const auto parsed = fetch::parseDownloadForm(form);
        QVERIFY2(parsed.problems.isEmpty(), qPrintable(parsed.problems.value(0).message));
        QStringList got;
        for (const auto &item : parsed.spec.items)
            got << item.url.toString();
        QCOMPARE(got, expected);
    }

    void badLinesAreNamed_data() {
        QTest::addColumn<QString>("urls");
        QTest::addColumn<QList<int>>("lines");
        QTest::addColumn<QString>("firstMessage");
        QTest::newRow("ftp on line 2")
            << QStringLiteral("http://h/a\nftp://h/b") << QList<int>{2}
            << QStringLiteral("URL line 2 is not an http(s) URL: ftp://h/b");
        QTest::newRow("line numbers count comments and blanks")
            << QStringLiteral("# list\n\nfile:///etc/passwd\nhttp://h/ok\nnot a url")
            << QList<int>{3, 5}
            << QStringLiteral("URL line 3 is not an http(s) URL: file:///etc/passwd");
        QTest::newRow("no host") << QStringLiteral("http:///x") << QList<int>{1}
                                 << QStringLiteral("URL line 1 is not an http(s) URL: http:///x");
        QTest::newRow("long line quoted short")
            << QStringLiteral("x") + QString(200, u'y') << QList<int>{1}
            << QStringLiteral("URL line 1 is not an http(s) URL: x") + QString(79, u'y');
        QTest::newRow("nothing but comments") << QStringLiteral("# nothing\n\n") << QList<int>{0}
                                              << QStringLiteral("Add at least one URL");
    }

    void badLinesAreNamed() {
        QFETCH(QString, urls);
        QFETCH(QList<int>, lines);
        QFETCH(QString, firstMessage);
        auto form = validForm();
        form.urls = urls;
        const auto problems = fetch::parseDownloadForm(form).problems;
        QList<int> got;
        for (const auto &p : problems) {
            QCOMPARE(p.field, QStringLiteral("urls"));
            got << p.line;
        }
        QCOMPARE(got, lines);
        QCOMPARE(problems.first().message, firstMessage);
    }

    void checksumsMatchByFileName() {
        auto form = validForm();
        form.urls =
            QStringLiteral("http://h/dir/a.bin?token=1\nhttp://other/b.bin\nhttp://h/c.bin");
        form.checksums = kSha + QStringLiteral("  a.bin\n") + QString(64, u'D') +
                         QStringLiteral(" *sub/b.bin\n");
        const auto parsed = fetch::parseDownloadForm(form);
        QVERIFY(parsed.problems.isEmpty());
        QCOMPARE(parsed.spec.items[0].sha256, kSha);
        QCOMPARE(parsed.spec.items[1].sha256, QString(64, u'd')); // lower-cased
        QVERIFY(parsed.spec.items[2].sha256.isEmpty());           // not listed: no check
    }

    /// A list that names the files otherwise than their URLs (here by the server's
    /// Content-Disposition names) would leave them unchecked without a word: it is refused.
    void checksumsThatMatchNoUrlAreRefused() {
        auto form = validForm();
        form.urls = QStringLiteral("http://h/bytes/64?name=f1.bin\nhttp://h/bytes/64?name=f2.bin");
        form.checksums = kSha + QStringLiteral("  f1.bin\n") + kSha + QStringLiteral("  f2.bin\n");
        const auto problems = fetch::parseDownloadForm(form).problems;
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems[0].field, QStringLiteral("checksums"));
        QVERIFY2(problems[0].message.contains(QStringLiteral("f1.bin, f2.bin")),
                 qPrintable(problems[0].message));
        QVERIFY2(
            problems[0].message.contains(QStringLiteral("2 of the files would not be checked")),
            qPrintable(problems[0].message));
        // A list for more files than these URLs is fine when every URL has its checksum.
        form.urls = QStringLiteral("http://h/f1.bin");
        QVERIFY(fetch::parseDownloadForm(form).problems.isEmpty());
    }

    void badChecksumLinesAreNamed() {
        auto form = validForm();
        form.checksums =
            kSha + QStringLiteral("  a.bin\nnot a checksum\n\n") + kSha + QStringLiteral("  ");
        const auto problems = fetch::parseDownloadForm(form).problems;
        QCOMPARE(problems.size(), 2);
        QCOMPARE(problems[0], (DownloadProblem{QStringLiteral("checksums"), 2,
                                               QStringLiteral("Checksums, line 2: not \"<sha256>  "
                                                              "<file name>\"")}));
        QCOMPARE(problems[1].line, 4);
    }

    void limitsAtBothEdges_data() {
        QTest::addColumn<QString>("concurrency");
        QTest::addColumn<QString>("bandwidth");
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("field"); // empty: valid
        QTest::newRow("concurrency 1")
            << QStringLiteral("1") << QString() << QStringLiteral("d") << QString();
        QTest::newRow("concurrency 256")
            << QStringLiteral("256") << QString() << QStringLiteral("d") << QString();
        QTest::newRow("concurrency 0") << QStringLiteral("0") << QString() << QStringLiteral("d")
                                       << QStringLiteral("concurrency");
        QTest::newRow("concurrency 257") << QStringLiteral("257") << QString()
                                         << QStringLiteral("d") << QStringLiteral("concurrency");
        QTest::newRow("concurrency text") << QStringLiteral("many") << QString()
                                          << QStringLiteral("d") << QStringLiteral("concurrency");
        QTest::newRow("bandwidth 1 byte/s")
            << QStringLiteral("4") << QStringLiteral("1") << QStringLiteral("d") << QString();
        QTest::newRow("bandwidth 2M")
            << QStringLiteral("4") << QStringLiteral(" 2M ") << QStringLiteral("d") << QString();
        QTest::newRow("bandwidth 0") << QStringLiteral("4") << QStringLiteral("0")
                                     << QStringLiteral("d") << QStringLiteral("bandwidth");
        QTest::newRow("bandwidth words") << QStringLiteral("4") << QStringLiteral("fast")
                                         << QStringLiteral("d") << QStringLiteral("bandwidth");
        QTest::newRow("no folder")
            << QStringLiteral("4") << QString() << QStringLiteral("  ") << QStringLiteral("folder");
    }

    void limitsAtBothEdges() {
        QFETCH(QString, concurrency);
        QFETCH(QString, bandwidth);
        QFETCH(QString, folder);
        QFETCH(QString, field);
        auto form = validForm();
        form.concurrency = concurrency;
        form.bandwidth = bandwidth;
        form.folder = folder;
        const auto parsed = fetch::parseDownloadForm(form);
        if (field.isEmpty()) {
            QVERIFY2(parsed.problems.isEmpty(), qPrintable(parsed.problems.value(0).message));
            QCOMPARE(parsed.spec.options.concurrency, concurrency.toInt());
            QCOMPARE(parsed.spec.options.bandwidth,
                     bandwidth.isEmpty() ? qint64(0) : *fetch::parseByteRate(bandwidth));
        } else {
            QCOMPARE(parsed.problems.size(), 1);
            QCOMPARE(parsed.problems.first().field, field);
        }
    }

    void sessionRoundTripKeepsWhatIsLeft() {
        auto form = validForm();
        form.urls = QStringLiteral("http://h/done.bin\nhttp://h/part.bin\nhttp://h/gone.bin\n"
                                   "http://h/failed.bin");
        form.checksums = kSha + QStringLiteral("  part.bin");
        form.concurrency = QStringLiteral("7");
        form.bandwidth = QStringLiteral("2M");
        form.overwrite = true;
        const auto spec = fetch::parseDownloadForm(form).spec;
        const QByteArray json = fetch::sessionJson(
            spec, {fetch::DownloadState::Done, fetch::DownloadState::Paused,
                   fetch::DownloadState::Cancelled, fetch::DownloadState::Failed});
        const auto restored = fetch::formFromSession(json);
        QVERIFY(restored);
        QCOMPARE(restored->urls, QStringLiteral("http://h/part.bin\nhttp://h/failed.bin"));
        QCOMPARE(restored->checksums, kSha + QStringLiteral("  part.bin"));
        QCOMPARE(restored->folder, QStringLiteral("/tmp/out"));
        QCOMPARE(restored->concurrency, QStringLiteral("7"));
        QCOMPARE(restored->bandwidth, QStringLiteral("2000000"));
        QVERIFY(restored->overwrite);
        const auto again = fetch::parseDownloadForm(*restored);
        QVERIFY(again.problems.isEmpty());
        QCOMPARE(again.spec.items.size(), 2);
        QCOMPARE(again.spec.items[0].sha256, kSha);
        QCOMPARE(again.spec.options.bandwidth, qint64(2000000));

        QVERIFY(!fetch::formFromSession(fetch::sessionJson(
            spec, {fetch::DownloadState::Done, fetch::DownloadState::Done,
                   fetch::DownloadState::Cancelled, fetch::DownloadState::Done})));
        QVERIFY(!fetch::formFromSession("not json"));
    }

    void resumeHeadersCarryTheValidator() {
        QVERIFY(fetch::resumeHeaders(0, QStringLiteral("\"e\""), {}).isEmpty());
        const auto withEtag =
            fetch::resumeHeaders(100, QStringLiteral("\"e\""), QStringLiteral("Mon, 01 Jan 2024"));
        QCOMPARE(net::headerValue(withEtag, "Range"), QByteArray("bytes=100-"));
        QCOMPARE(net::headerValue(withEtag, "If-Range"), QByteArray("\"e\""));
        const auto withDate = fetch::resumeHeaders(5, {}, QStringLiteral("Mon, 01 Jan 2024"));
        QCOMPARE(net::headerValue(withDate, "If-Range"), QByteArray("Mon, 01 Jan 2024"));
        QVERIFY(net::headerValue(fetch::resumeHeaders(5, {}, {}), "If-Range").isEmpty());
    }

    void resumeDecisions_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("existing");
        QTest::addColumn<qint64>("knownTotal");
        QTest::addColumn<ResumeDecision::Kind>("kind");
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<qint64>("total");
        using K = ResumeDecision::Kind;
        QTest::newRow("200 fresh")
            << 200 << QByteArray("Content-Length") << QByteArray("500") << qint64(0) << qint64(-1)
            << K::Write << qint64(0) << qint64(500);
        QTest::newRow("200 to a range request restarts at 0")
            << 200 << QByteArray("Content-Length") << QByteArray("500") << qint64(100)
            << qint64(500) << K::Write << qint64(0) << qint64(500);
        QTest::newRow("200 without length") << 200 << QByteArray("X") << QByteArray() << qint64(0)
                                            << qint64(-1) << K::Write << qint64(0) << qint64(-1);
        QTest::newRow("206 where asked")
            << 206 << QByteArray("Content-Range") << QByteArray("bytes 100-499/500") << qint64(100)
            << qint64(500) << K::Write << qint64(100) << qint64(500);
        QTest::newRow("206 elsewhere")
            << 206 << QByteArray("Content-Range") << QByteArray("bytes 0-499/500") << qint64(100)
            << qint64(500) << K::Restart << qint64(0) << qint64(-1);
        QTest::newRow("206 unparseable")
            << 206 << QByteArray("Content-Range") << QByteArray("pages 1-2") << qint64(100)
            << qint64(500) << K::Restart << qint64(0) << qint64(-1);
        QTest::newRow("416 when all is on disk")
            << 416 << QByteArray("Content-Range") << QByteArray("bytes */500") << qint64(500)
            << qint64(500) << K::AlreadyComplete << qint64(500) << qint64(500);
        QTest::newRow("416 otherwise is an error")
            << 416 << QByteArray("Content-Range") << QByteArray("bytes */500") << qint64(300)
            << qint64(-1) << K::NotABody << qint64(0) << qint64(-1);
        QTest::newRow("404") << 404 << QByteArray("X") << QByteArray() << qint64(0) << qint64(-1)
                             << K::NotABody << qint64(0) << qint64(-1);
    }

    void resumeDecisions() {
        QFETCH(int, status);
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, value);
        QFETCH(qint64, existing);
        QFETCH(qint64, knownTotal);
        QFETCH(ResumeDecision::Kind, kind);
        QFETCH(qint64, offset);
        QFETCH(qint64, total);
        const auto d = fetch::decideResume(status, {{header, value}}, existing, knownTotal);
        QCOMPARE(d.kind, kind);
        QCOMPARE(d.offset, offset);
        QCOMPARE(d.total, total);
    }

    // Issue 12: a rerun asks `Range: bytes=SIZE-` about a file already under its final name.
    void existingFileVerdicts_data() {
        using K = fetch::ExistingFileVerdict::Kind;
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<K>("kind");
        QTest::addColumn<qint64>("serverSize");
        const auto row = [](const char *name, int status, const char *header, const char *value,
                            K kind, qint64 serverSize) {
            QTest::newRow(name) << status << QByteArray(header) << QByteArray(value) << kind
                                << serverSize;
        };
        row("416 with the same total", 416, "Content-Range", "bytes */500", K::Complete, 500);
        row("416 without Content-Range (as curl -C -)", 416, "X", "", K::Complete, -1);
        row("416 with a smaller total", 416, "Content-Range", "bytes */400", K::Differs, 400);
        row("206: the server has more", 206, "Content-Range", "bytes 500-899/900", K::Differs, 900);
        row("200 without ranges, same length", 200, "Content-Length", "500", K::Complete, 500);
        row("200 without ranges, other length", 200, "Content-Length", "501", K::Differs, 501);
        row("200 without a length", 200, "X", "", K::Unknown, -1);
        row("404", 404, "Content-Length", "500", K::NotABody, -1);
    }

    void existingFileVerdicts() {
        QFETCH(int, status);
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, value);
        QFETCH(fetch::ExistingFileVerdict::Kind, kind);
        QFETCH(qint64, serverSize);
        QCOMPARE(fetch::existingFileProbe(500),
                 (net::RawHeaders{{QByteArray("Range"), QByteArray("bytes=500-")}}));
        const auto v = fetch::judgeExistingFile(status, {{header, value}}, 500);
        QCOMPARE(v.kind, kind);
        QCOMPARE(v.serverSize, serverSize);
    }

    // The download list's --rate: learned or fixed, checked, and kept by a saved session.
    void rateIsParsedCheckedAndSaved() {
        fetch::DownloadForm form;
        form.urls = QStringLiteral("http://h/a.bin");
        form.folder = QStringLiteral("/tmp/x");
        form.rate = QStringLiteral("auto:-20");
        auto parsed = fetch::parseDownloadForm(form);
        QVERIFY(parsed.problems.isEmpty());
        QVERIFY(parsed.spec.options.autoRate);
        QCOMPARE(parsed.spec.options.autoRate->max, 20.0);
        const auto back = fetch::formFromSession(fetch::sessionJson(parsed.spec, {}));
        QVERIFY(back);
        QCOMPARE(back->rate, QStringLiteral("auto:-20"));
        form.rate = QStringLiteral("quick");
        parsed = fetch::parseDownloadForm(form);
        QCOMPARE(parsed.problems.size(), 1);
        QCOMPARE(parsed.problems.first().field, QStringLiteral("rate"));
    }
};

QTEST_GUILESS_MAIN(TestDownloadSpec)
#include "tst_downloadspec.moc"
