// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"
#include "gzipbody.h"
#include "hostileserver.h"

#include "fetch/downloader.h"
#include "net/httpclient.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace std::chrono_literals;
using namespace vigil;
using fetch::DownloadItem;
using fetch::DownloadOptions;
using vigil::test::drive;

namespace {
constexpr qint64 kMiB = 1024 * 1024;

/// The value of @p name in a recorded request head; empty when absent.
QByteArray headField(const QByteArray &head, QByteArrayView name) {
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

QByteArray gzipHead(QByteArrayView status, qint64 length) {
    return "HTTP/1.1 " + status.toByteArray() +
           "\r\nContent-Type: application/octet-stream\r\nContent-Encoding: gzip\r\n"
           "ETag: \"v1\"\r\nContent-Length: " +
           QByteArray::number(length) + "\r\n";
}
} // namespace

/// Downloads keep the server's bytes: they ask for `identity`, and a server that compresses anyway
/// is stored as sent, so sizes, Range and resume stay true.
class TestDownloadEncoding : public QObject {
    Q_OBJECT
    net::HttpClient *m_client = nullptr;
    fetch::Downloader *m_downloader = nullptr;
    QTemporaryDir *m_dir = nullptr;

    fetch::DownloadSummary run(const QUrl &url) {
        DownloadOptions o;
        o.outDir = m_dir->path();
        o.concurrency = 1;
        o.stallTimeout = 5s;
        return drive(m_downloader->run({DownloadItem{url, {}, QStringLiteral("file.gz")}}, o),
                     nullptr, 60s)
            .value();
    }
    QByteArray saved() const {
        QFile f(m_dir->filePath(QStringLiteral("file.gz")));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private Q_SLOTS:
    void init() {
        m_client = new net::HttpClient(async::Clock::system(), this);
        m_downloader = new fetch::Downloader(*m_client, async::Clock::system(), this);
        m_dir = new QTemporaryDir;
    }
    void cleanup() {
        delete m_downloader;
        delete m_client;
        delete m_dir;
    }

    // Qt's default was "gzip, deflate, br, zstd", and Qt then decoded what came back.
    void theRequestAsksForTheServersBytes() {
        test::HostileServer server([](QTcpSocket *s, const QByteArray &, int) {
            s->write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        });
        const auto summary = run(server.url(QStringLiteral("/f")));
        QCOMPARE(summary.ok, 1);
        QCOMPARE(server.heads().size(), 1);
        QCOMPARE(headField(server.heads().first(), "Accept-Encoding"), QByteArray("identity"));
    }

    // A server that compresses anyway (a .gz served with Content-Encoding: gzip, or a bomb) is
    // stored as sent, at its Content-Length; Qt used to decode it, fail past 10 MiB with
    // "Decompression failed: ", or hang on a bomb.
    void aCompressedAnswerIsStoredAsSent() {
        const QByteArray gzip = test::gzipOfRepeated(256 * kMiB);
        test::HostileServer server([&gzip](QTcpSocket *s, const QByteArray &, int) {
            s->write(gzipHead("200 OK", gzip.size()) + "\r\n" + gzip);
        });
        const auto summary = run(server.url(QStringLiteral("/f")));
        QCOMPARE(summary.ok, 1);
        QCOMPARE(summary.bytes, gzip.size());
        QVERIFY(saved() == gzip);
    }

    // The first answer breaks off halfway; the second attempt asks for the rest with Range and
    // gets it, so the file is the server's bytes end to end.
    void aCompressedAnswerResumesWithRange() {
        const QByteArray gzip = test::gzipOfRepeated(64 * kMiB);
        const qint64 half = gzip.size() / 2;
        test::HostileServer server([&](QTcpSocket *s, const QByteArray &, int index) {
            if (index == 0) {
                s->write(gzipHead("200 OK", gzip.size()) + "\r\n" + gzip.left(half));
                s->disconnectFromHost();
                return;
            }
            const QByteArray range = "Content-Range: bytes " + QByteArray::number(half) + '-' +
                                     QByteArray::number(gzip.size() - 1) + '/' +
                                     QByteArray::number(gzip.size()) + "\r\n";
            s->write(gzipHead("206 Partial Content", gzip.size() - half) + range + "\r\n" +
                     gzip.mid(half));
        });
        const auto summary = run(server.url(QStringLiteral("/f")));
        QCOMPARE(summary.ok, 1);
        QCOMPARE(server.heads().size(), 2);
        QCOMPARE(headField(server.heads().at(1), "Range"),
                 "bytes=" + QByteArray::number(half) + '-');
        QVERIFY(saved() == gzip);
    }
};

QTEST_GUILESS_MAIN(TestDownloadEncoding)
#include "tst_downloadencoding.moc"
