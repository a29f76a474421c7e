// SPDX-License-Identifier: Apache-2.0
#include "downloadbench.h"

#include "demoprocess.h"
#include "util/processstats.h"

#include "async/clock.h"
#include "async/sleep.h"
#include "demo/demodata.h"
#include "fetch/downloader.h"
#include "net/httpclient.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <stdexcept>

namespace vigil::bench {

QString DownloadBenchResult::summaryLine() const {
    return QStringLiteral("bench-download files=%1 bytes=%2 wall_s=%3 mb_per_s=%4 peak_rss_mb=%5 "
                          "curl_mb_per_s=%6 ratio=%7 verified=%8")
        .arg(files)
        .arg(bytes)
        .arg(wallS, 0, 'f', 3)
        .arg(mbPerS(), 0, 'f', 1)
        .arg(peakRssMb, 0, 'f', 1)
        .arg(curlMbPerS(), 0, 'f', 1)
        .arg(curlWallS > 0 ? curlWallS / wallS : 0, 0, 'f', 2)
        .arg(verified ? QStringLiteral("sha256") : QStringLiteral("size"));
}

namespace {
/// The expected digest, computed block by block so the benchmark's own memory stays flat.
QString demoDigest(qint64 size) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray block(1024 * 1024, Qt::Uninitialized);
    for (qint64 at = 0; at < size; at += block.size()) {
        const qint64 n = std::min<qint64>(block.size(), size - at);
        demo::fillDemoBytes(block.data(), at, n);
        hash.addData(QByteArrayView(block.constData(), n));
    }
    return QString::fromLatin1(hash.result().toHex());
}
} // namespace

QCoro::Task<DownloadBenchResult> runDownloadBench(QString vigilBinary, int files, qint64 size,
                                                  bool verify) {
    QProcess server;
    std::exception_ptr failure;
    DownloadBenchResult result;
    try {
        const QString base = co_await startDemoProcess(server, vigilBinary);
        QTemporaryDir dir;
        const QString digest = verify ? demoDigest(size) : QString();
        result.verified = verify;
        QList<fetch::DownloadItem> items;
        QStringList urls;
        for (int i = 0; i < files; ++i) {
            const QUrl url(QStringLiteral("%1/bytes/%2?file=%3").arg(base).arg(size).arg(i));
            items << fetch::DownloadItem{url, digest, QStringLiteral("file%1.bin").arg(i)};
            urls << url.toString();
        }
        net::HttpClient client;
        fetch::Downloader downloader(client, async::Clock::system());
        fetch::DownloadOptions options;
        options.outDir = dir.filePath(QStringLiteral("vigil"));
        options.concurrency = 4;
        const auto summary = co_await downloader.run(items, options);
        if (summary.ok != files)
            throw std::runtime_error("a download failed");
        result.files = files;
        result.bytes = summary.bytes;
        result.wallS = summary.wallS;
        result.peakRssMb = util::peakRssMB();

        const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
        if (!curl.isEmpty()) {
            QStringList args{QStringLiteral("--parallel"), QStringLiteral("--parallel-max"),
                             QStringLiteral("4"), QStringLiteral("--silent"),
                             QStringLiteral("--fail")};
            for (int i = 0; i < files; ++i)
                args << QStringLiteral("-o") << dir.filePath(QStringLiteral("curl%1.bin").arg(i))
                     << urls[i];
            QProcess curlRun;
            QElapsedTimer wall;
            wall.start();
            curlRun.start(curl, args);
            while (curlRun.state() != QProcess::NotRunning)
                co_await async::sleepFor(async::Clock::system(), std::chrono::milliseconds(5));
            if (curlRun.exitCode() == 0)
                result.curlWallS = double(wall.nsecsElapsed()) / 1e9;
        }
    } catch (...) {
        failure = std::current_exception();
    }
    stopDemoProcess(server);
    if (failure)
        std::rethrow_exception(failure);
    co_return result;
}

} // namespace vigil::bench
