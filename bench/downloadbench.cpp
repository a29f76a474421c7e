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
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <linux/magic.h>
#include <sys/vfs.h>

#include <stdexcept>

namespace vigil::bench {

QString DownloadBenchResult::summaryLine() const {
    return QStringLiteral("bench-download server=%1 out=%2 files=%3 bytes=%4 runs=%5 wall_s=%6 "
                          "worst_wall_s=%7 mb_per_s=%8 peak_rss_mb=%9 curl_wall_s=%10 "
                          "curl_worst_wall_s=%11 curl_mb_per_s=%12 ratio=%13 verified=%14")
        .arg(server, out)
        .arg(files)
        .arg(bytes)
        .arg(runs)
        .arg(wallS, 0, 'f', 3)
        .arg(worstWallS, 0, 'f', 3)
        .arg(mbPerS(), 0, 'f', 1)
        .arg(peakRssMb, 0, 'f', 1)
        .arg(curlWallS, 0, 'f', 3)
        .arg(curlWorstWallS, 0, 'f', 3)
        .arg(curlMbPerS(), 0, 'f', 1)
        .arg(curlWallS > 0 && wallS > 0 ? curlWallS / wallS : 0, 0, 'f', 2)
        .arg(verified ? QStringLiteral("sha256") : QStringLiteral("size"));
}

namespace {
bool isTmpfs(const QString &path) {
    struct statfs fs {};
    return statfs(QFile::encodeName(path).constData(), &fs) == 0 && fs.f_type == TMPFS_MAGIC;
}

/// Fills @p sink block by block with the demo byte stream, so the benchmark's memory stays flat.
template <typename Sink> void demoBlocks(qint64 size, Sink &&sink) {
    QByteArray block(1024 * 1024, Qt::Uninitialized);
    for (qint64 at = 0; at < size; at += block.size()) {
        const qint64 n = std::min<qint64>(block.size(), size - at);
        demo::fillDemoBytes(block.data(), at, n);
        sink(QByteArrayView(block.constData(), n));
    }
}

QString demoDigest(qint64 size) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    demoBlocks(size, [&hash](QByteArrayView bytes) { hash.addData(bytes); });
    return QString::fromLatin1(hash.result().toHex());
}

/// The same bytes as the demo server's /bytes/N, so one digest serves both servers.
void writeDemoFile(const QString &path, qint64 size) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw std::runtime_error("cannot write " + path.toStdString());
    demoBlocks(size, [&file](QByteArrayView bytes) { file.write(bytes.data(), bytes.size()); });
}

double seconds(const QElapsedTimer &wall) {
    return double(wall.nsecsElapsed()) / 1e9;
}

QCoro::Task<double> vigilRun(QList<fetch::DownloadItem> items, QString outDir) {
    net::HttpClient client;
    fetch::Downloader downloader(client, async::Clock::system());
    fetch::DownloadOptions options;
    options.outDir = outDir;
    options.concurrency = 4;
    QElapsedTimer wall;
    wall.start();
    const auto summary = co_await downloader.run(items, options);
    const double wallS = seconds(wall);
    if (summary.ok != items.size())
        throw std::runtime_error("a download failed");
    QDir(outDir).removeRecursively();
    co_return wallS;
}

/// 0 when curl failed.
QCoro::Task<double> curlRun(QString curl, QStringList urls, QString outDir) {
    QDir().mkpath(outDir);
    QStringList args{QStringLiteral("--parallel"), QStringLiteral("--parallel-max"),
                     QStringLiteral("4"), QStringLiteral("--silent"), QStringLiteral("--fail")};
    for (qsizetype i = 0; i < urls.size(); ++i)
        args << QStringLiteral("-o") << QDir(outDir).filePath(QStringLiteral("curl%1.bin").arg(i))
             << urls[i];
    QProcess process;
    QElapsedTimer wall;
    wall.start();
    process.start(curl, args);
    while (process.state() != QProcess::NotRunning)
        co_await async::sleepFor(async::Clock::system(), std::chrono::milliseconds(1));
    const double wallS = seconds(wall);
    QDir(outDir).removeRecursively();
    co_return process.exitStatus() == QProcess::NormalExit &&process.exitCode() == 0 ? wallS : 0;
}

void keepBest(double wallS, double &best, double &worst) {
    best = best > 0 ? std::min(best, wallS) : wallS;
    worst = std::max(worst, wallS);
}
} // namespace

QString benchOutputParent(bool *tmpfs) {
    for (const QString &path : {QStringLiteral("/dev/shm"), QDir::tempPath()}) {
        if (isTmpfs(path) && QFileInfo(path).isWritable()) {
            *tmpfs = true;
            return path;
        }
    }
    *tmpfs = false;
    return QDir::tempPath();
}

QCoro::Task<DownloadBenchResult> runDownloadBench(QString vigilBinary,
                                                  DownloadBenchOptions options) {
    DownloadBenchResult result;
    bool tmpfs = false;
    const QString parent = benchOutputParent(&tmpfs);
    result.out = tmpfs ? QStringLiteral("tmpfs") : QStringLiteral("disk");
    result.server = options.nginx ? QStringLiteral("nginx") : QStringLiteral("demo");
    result.verified = options.verify;
    QProcess demo;
    NginxProcess nginx(parent);
    std::exception_ptr failure;
    try {
        QString base;
        if (options.nginx) {
            for (int i = 0; i < options.files; ++i)
                writeDemoFile(QDir(nginx.www()).filePath(QStringLiteral("file%1.bin").arg(i)),
                              options.size);
            base = nginx.start();
        } else {
            base = co_await startDemoProcess(demo, vigilBinary);
        }
        const QString digest = options.verify ? demoDigest(options.size) : QString();
        QList<fetch::DownloadItem> items;
        QStringList urls;
        for (int i = 0; i < options.files; ++i) {
            const QUrl url(
                options.nginx
                    ? QStringLiteral("%1/file%2.bin").arg(base).arg(i)
                    : QStringLiteral("%1/bytes/%2?file=%3").arg(base).arg(options.size).arg(i));
            items << fetch::DownloadItem{url, digest, QStringLiteral("file%1.bin").arg(i)};
            urls << url.toString();
        }
        QTemporaryDir dir(parent + QStringLiteral("/vigil-bench-XXXXXX"));
        const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
        for (int run = 0; run < options.runs; ++run) {
            auto vigil = vigilRun(items, dir.filePath(QStringLiteral("vigil")));
            const double vigilS = co_await vigil;
            keepBest(vigilS, result.wallS, result.worstWallS);
            if (curl.isEmpty())
                continue;
            auto other = curlRun(curl, urls, dir.filePath(QStringLiteral("curl")));
            const double curlS = co_await other;
            if (curlS > 0)
                keepBest(curlS, result.curlWallS, result.curlWorstWallS);
        }
        result.files = options.files;
        result.runs = options.runs;
        result.bytes = qint64(options.files) * options.size;
        result.peakRssMb = util::peakRssMB();
    } catch (...) {
        failure = std::current_exception();
    }
    if (!options.nginx)
        stopDemoProcess(demo);
    if (failure)
        std::rethrow_exception(failure);
    co_return result;
}

} // namespace vigil::bench
