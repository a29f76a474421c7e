#include "downloader.h"

#include "downloadnames.h"

#include "async/bytebudget.h"
#include "async/cancellation.h"
#include "async/keyedratelimiter.h"
#include "async/notifier.h"
#include "async/retrypolicy.h"
#include "async/sleep.h"
#include "async/taskgroup.h"
#include "compute/computepool.h"
#include "compute/sequentialhasher.h"
#include "compute/sha256.h"
#include "net/byterange.h"
#include "net/httpclient.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFuture>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>

#include <deque>
#include <filesystem>

namespace vigil::fetch {

QString downloadStateName(DownloadState state) {
    static const char *const names[] = {"queued", "connecting", "downloading", "verifying",
                                        "done",   "failed",     "paused",      "cancelled"};
    return QString::fromLatin1(names[int(state)]);
}

QString DownloadSummary::line() const {
    return QStringLiteral("downloaded ok=%1 failed=%2 bytes=%3 wall_s=%4 mbps=%5")
        .arg(ok)
        .arg(failed + cancelled + unfinished)
        .arg(bytes)
        .arg(wallS, 0, 'f', 3)
        .arg(mbps(), 0, 'f', 1);
}

namespace {
/// Beyond this much waiting to be hashed, the transfer holds its reads: memory stays flat.
constexpr qint64 kMaxPendingHash = 4 * 1024 * 1024;
} // namespace

struct Downloader::Item {
    DownloadItem spec;
    DownloadProgress p;
    std::unique_ptr<compute::SequentialHasher> hash; ///< only when a checksum was given
    QString partName; ///< the .part file's stem: from the target or the URL, known before asking
    std::unique_ptr<async::LinkedStopSource> stop;
    bool pauseRequested = false;
    bool cancelRequested = false;
    QElapsedTimer speedClock;
    qint64 speedBytes = 0;
    QElapsedTimer reportClock;
};

struct Downloader::Run {
    Run(async::Clock &clock, const DownloadOptions &o)
        : options(o)
        , limiter(clock, o.requestsPerSecondPerHost, 1.0)
        , budget(clock, o.bandwidth) {}
    DownloadOptions options;
    std::vector<std::unique_ptr<Item>> items;
    std::deque<int> queue;
    async::KeyedRateLimiter limiter;
    async::ByteBudget budget;
    async::Notifier changed;
    async::LinkedStopSource stop;
    DownloadSummary summary;
    int active = 0;
    bool interrupted = false;

    [[nodiscard]] bool allSettled() const {
        for (const auto &i : items) {
            const auto s = i->p.state;
            const bool settled = s == DownloadState::Done || s == DownloadState::Failed ||
                                 s == DownloadState::Cancelled ||
                                 (interrupted && s == DownloadState::Paused);
            if (!settled)
                return false;
        }
        return true;
    }
};

namespace {
QString metaPathOf(const QString &partPath) {
    return partPath + QStringLiteral(".json");
}

QJsonObject readMeta(const QString &partPath) {
    QFile f(metaPathOf(partPath));
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                       : QJsonObject();
}

void writeMeta(const QString &partPath, const QJsonObject &meta) {
    QFile f(metaPathOf(partPath));
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(QJsonDocument(meta).toJson(QJsonDocument::Compact));
}

void removePartial(const QString &partPath) {
    QFile::remove(partPath);
    QFile::remove(metaPathOf(partPath));
}

QByteArray headerOf(const net::RawHeaders &headers, QByteArrayView name) {
    for (const auto &[k, v] : headers) {
        if (QByteArrayView(k).compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

/// Two URLs ending in the same name (…/a/data.bin, …/b/data.bin) must not share a .part file:
/// later ones become data-2.bin, data-3.bin.
QString uniqueName(const QString &name, QSet<QString> &taken) {
    if (name.isEmpty())
        return name;
    QString candidate = name;
    const qsizetype dot = name.lastIndexOf(u'.');
    const QString stem = dot > 0 ? name.left(dot) : name;
    const QString ext = dot > 0 ? name.mid(dot) : QString();
    for (int n = 2; taken.contains(candidate); ++n)
        candidate = stem + u'-' + QString::number(n) + ext;
    taken.insert(candidate);
    return candidate;
}

bool retryable(const net::HttpResponse &r) {
    if (r.error == net::HttpErrorKind::Timeout || r.error == net::HttpErrorKind::Network)
        return true;
    return r.error == net::HttpErrorKind::HttpStatus && (r.status == 429 || r.status >= 500);
}
} // namespace

Downloader::Downloader(net::HttpClient &client, async::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock) {}

Downloader::~Downloader() {
    Q_ASSERT_X(!m_run, "Downloader", "destroyed while running; cancelAll() and await run() first");
}

int Downloader::inFlight() const {
    return m_run ? m_run->active : 0;
}

QString Downloader::sha256OfFile(const QString &path, QString *error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = f.errorString();
        return {};
    }
    compute::Sha256 hash;
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    while (true) {
        const qint64 n = f.read(buffer.data(), buffer.size());
        if (n < 0) {
            *error = f.errorString();
            return {};
        }
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
    }
    return QString::fromLatin1(hash.hexResult());
}

void Downloader::report(Item &item, bool force) {
    // At most ten reports a second per file while bytes flow; state changes always go out.
    if (!force && item.reportClock.isValid() && item.reportClock.elapsed() < 100)
        return;
    item.reportClock.start();
    if (item.p.state == DownloadState::Downloading && item.speedClock.isValid() &&
        item.speedClock.elapsed() >= 250) {
        item.p.bytesPerSecond =
            double(item.p.bytes - item.speedBytes) * 1000.0 / double(item.speedClock.elapsed());
        item.speedBytes = item.p.bytes;
        item.speedClock.start();
    }
    Q_EMIT progress(item.p);
}

void Downloader::finish(Run &run, Item &item, DownloadState state, const QString &error) {
    item.p.state = state;
    item.p.error = error;
    item.p.bytesPerSecond = 0;
    if (state == DownloadState::Done)
        ++run.summary.ok;
    report(item);
    run.changed.notifyAll();
}

void Downloader::pause(int index) {
    if (!m_run || index < 0 || std::size_t(index) >= m_run->items.size())
        return;
    Item &item = *m_run->items[std::size_t(index)];
    if (item.p.state == DownloadState::Queued) {
        std::erase(m_run->queue, index);
        item.p.state = DownloadState::Paused;
        report(item);
    } else if (item.stop) {
        item.pauseRequested = true;
        item.stop->requestStop();
    }
}

void Downloader::resume(int index) {
    if (!m_run || index < 0 || std::size_t(index) >= m_run->items.size())
        return;
    Item &item = *m_run->items[std::size_t(index)];
    if (item.p.state != DownloadState::Paused && item.p.state != DownloadState::Failed)
        return;
    item.p.state = DownloadState::Queued;
    item.p.error.clear();
    m_run->queue.push_back(index);
    report(item);
    m_run->changed.notifyAll();
}

void Downloader::cancel(int index) {
    if (!m_run || index < 0 || std::size_t(index) >= m_run->items.size())
        return;
    Item &item = *m_run->items[std::size_t(index)];
    const auto s = item.p.state;
    if (s == DownloadState::Done || s == DownloadState::Cancelled)
        return;
    std::erase(m_run->queue, index);
    if (item.stop && (s == DownloadState::Connecting || s == DownloadState::Downloading ||
                      s == DownloadState::Verifying)) {
        item.cancelRequested = true;
        item.stop->requestStop();
        return;
    }
    const QString part =
        QDir(m_run->options.outDir).filePath(item.partName + QStringLiteral(".part"));
    if (!item.partName.isEmpty())
        removePartial(part);
    ++m_run->summary.cancelled;
    finish(*m_run, item, DownloadState::Cancelled);
}

void Downloader::pauseAll() {
    if (m_run)
        for (std::size_t i = 0; i < m_run->items.size(); ++i)
            pause(int(i));
}

void Downloader::resumeAll() {
    if (m_run)
        for (std::size_t i = 0; i < m_run->items.size(); ++i)
            resume(int(i));
}

void Downloader::interrupt() {
    if (!m_run)
        return;
    m_run->interrupted = true;
    pauseAll();
    m_run->changed.notifyAll();
}

void Downloader::cancelAll() {
    if (m_run)
        for (std::size_t i = 0; i < m_run->items.size(); ++i)
            cancel(int(i));
}

QCoro::Task<DownloadSummary> Downloader::run(QList<DownloadItem> items, DownloadOptions options) {
    Run run(m_clock, options);
    m_run = &run;
    const auto started = m_clock.now();
    const bool folderOk = QDir().mkpath(options.outDir) && QFileInfo(options.outDir).isDir();
    QSet<QString> taken;
    for (qsizetype i = 0; i < items.size(); ++i) {
        auto item = std::make_unique<Item>();
        item->spec = items[i];
        item->p.index = int(i);
        item->p.name = uniqueName(sanitizeFileName(items[i].targetName.isEmpty()
                                                       ? fileNameFromUrl(items[i].url)
                                                       : items[i].targetName),
                                  taken);
        item->partName = item->p.name;
        run.items.push_back(std::move(item));
    }
    for (auto &item : run.items) {
        if (!folderOk) {
            ++run.summary.failed;
            finish(run, *item, DownloadState::Failed,
                   tr("cannot create or write the folder %1").arg(options.outDir));
        } else {
            run.queue.push_back(item->p.index);
            report(*item);
        }
    }
    async::TaskGroup<> workers(async::GroupPolicy::CollectAll, run.stop.token());
    for (int i = 0; i < std::max(1, options.concurrency); ++i)
        workers.spawn(worker(run));
    co_await workers.join();
    run.summary.wallS = std::chrono::duration<double>(m_clock.now() - started).count();
    for (const auto &item : run.items)
        run.summary.unfinished += item->p.state == DownloadState::Paused;
    m_run = nullptr;
    co_return run.summary;
}

QCoro::Task<> Downloader::worker(Run &run) {
    while (!run.allSettled()) {
        if (run.queue.empty()) {
            co_await run.changed.wait();
            continue;
        }
        const int index = run.queue.front();
        run.queue.pop_front();
        ++run.active;
        auto job = download(run, *run.items[std::size_t(index)]);
        co_await job;
        --run.active;
        run.changed.notifyAll();
    }
}

QCoro::Task<> Downloader::download(Run &run, Item &item) {
    const QDir out(run.options.outDir);
    item.stop = std::make_unique<async::LinkedStopSource>(run.stop.token());
    item.pauseRequested = item.cancelRequested = false;
    const async::RetryPolicy policy{run.options.retries + 1, std::chrono::milliseconds(500),
                                    std::chrono::seconds(15), std::chrono::minutes(30)};
    const auto started = m_clock.now();
    const QString host = item.spec.url.host();
    for (int attempt = 1;; ++attempt) {
        item.p.state = DownloadState::Connecting;
        report(item);
        QString partPath = item.partName.isEmpty()
                               ? QString()
                               : out.filePath(item.partName + QStringLiteral(".part"));
        qint64 existing = 0;
        QJsonObject meta;
        if (!partPath.isEmpty()) {
            meta = readMeta(partPath);
            if (QFile::exists(partPath) &&
                meta.value(QStringLiteral("url")).toString() == item.spec.url.toString())
                existing = QFileInfo(partPath).size();
            else
                removePartial(partPath);
        }
        QFile file;
        QString writeError;
        bool restartFromZero = false;
        bool alreadyComplete = false;
        net::HttpRequest request;
        request.url = item.spec.url;
        request.timeout = std::chrono::hours(12); // a stall is caught by the idle timeout instead
        request.idleTimeout = run.options.stallTimeout;
        request.bandwidth = &run.budget;
        if (existing > 0) {
            request.headers.append({"Range", "bytes=" + QByteArray::number(existing) + '-'});
            const QString validator = meta.value(QStringLiteral("etag")).toString();
            const QString modified = meta.value(QStringLiteral("last_modified")).toString();
            if (!validator.isEmpty() || !modified.isEmpty())
                request.headers.append(
                    {"If-Range", (validator.isEmpty() ? modified : validator).toUtf8()});
        }
        request.onHeaders = [&](int status, const net::RawHeaders &headers) {
            if (status == 416 && existing > 0 &&
                existing == qint64(meta.value(QStringLiteral("total")).toDouble(-1))) {
                alreadyComplete = true;
                return false;
            }
            if (status != 200 && status != 206)
                return true; // the client reports it as an HTTP error
            // The server's name wins over the URL's, unless the user named the file.
            const QString offered = sanitizeFileName(
                fileNameFromContentDisposition(headerOf(headers, "Content-Disposition")));
            if (item.spec.targetName.isEmpty() && !offered.isEmpty())
                item.p.name = offered;
            if (item.partName.isEmpty()) {
                item.partName = item.p.name.isEmpty()
                                    ? QStringLiteral("download-%1").arg(item.p.index + 1)
                                    : item.p.name;
                partPath = out.filePath(item.partName + QStringLiteral(".part"));
            }
            if (item.p.name.isEmpty())
                item.p.name = item.partName;
            qint64 offset = 0;
            qint64 total = -1;
            if (status == 206) {
                const auto range = net::parseContentRange(headerOf(headers, "Content-Range"));
                if (!range || range->range.first != existing) {
                    restartFromZero = true; // a range we did not ask for: start clean
                    return false;
                }
                offset = existing;
                total = range->total;
            } else {
                const QByteArray length = headerOf(headers, "Content-Length");
                total = length.isEmpty() ? -1 : length.toLongLong();
            }
            item.p.resumed = offset > 0;
            item.p.bytes = offset;
            if (!item.spec.sha256.isEmpty()) {
                item.hash = std::make_unique<compute::SequentialHasher>();
                if (offset > 0)
                    item.hash->addFilePrefix(partPath, offset);
            }
            item.p.total = total;
            file.setFileName(partPath);
            if (!file.open(offset > 0 ? QIODevice::WriteOnly | QIODevice::Append
                                      : QIODevice::WriteOnly | QIODevice::Truncate)) {
                writeError = tr("cannot write %1: %2").arg(partPath, file.errorString());
                return false;
            }
            writeMeta(partPath,
                      {{QStringLiteral("url"), item.spec.url.toString()},
                       {QStringLiteral("etag"), QString::fromUtf8(headerOf(headers, "ETag"))},
                       {QStringLiteral("last_modified"),
                        QString::fromUtf8(headerOf(headers, "Last-Modified"))},
                       {QStringLiteral("total"), double(total)}});
            item.p.state = DownloadState::Downloading;
            item.speedClock.start();
            item.speedBytes = offset;
            report(item);
            return true;
        };
        request.holdReads = [&item] { return item.hash && item.hash->pending() > kMaxPendingHash; };
        request.onChunk = [&](const QByteArray &chunk) {
            if (file.write(chunk) != chunk.size()) {
                writeError = tr("cannot write %1: %2").arg(file.fileName(), file.errorString());
                return false;
            }
            if (item.hash)
                item.hash->add(chunk);
            item.p.bytes += chunk.size();
            run.summary.bytes += chunk.size();
            report(item, false);
            return true;
        };
        bool limited = true;
        try {
            co_await run.limiter.acquire(host, item.stop->token());
        } catch (const async::Cancelled &) {
            limited = false;
        }
        net::HttpResponse response;
        response.error = net::HttpErrorKind::Cancelled;
        if (limited)
            response = co_await m_client.send(request, item.stop->token());
        if (file.isOpen() && !file.flush() && writeError.isEmpty())
            writeError = tr("cannot write %1: %2").arg(file.fileName(), file.errorString());
        file.close();

        if (item.cancelRequested) {
            removePartial(partPath);
            ++run.summary.cancelled;
            co_return finish(run, item, DownloadState::Cancelled);
        }
        if (item.pauseRequested)
            co_return finish(run, item, DownloadState::Paused);
        if (!writeError.isEmpty()) {
            ++run.summary.failed;
            co_return finish(run, item, DownloadState::Failed, writeError);
        }
        if (restartFromZero) {
            removePartial(partPath);
            continue;
        }
        if (alreadyComplete || response.ok()) {
            const bool complete =
                item.p.total < 0 || QFileInfo(partPath).size() == item.p.total || alreadyComplete;
            if (complete) {
                auto verify = verifyAndFinalize(run, item);
                co_await verify;
                co_return;
            }
        } else if (!retryable(response)) {
            ++run.summary.failed;
            co_return finish(run, item, DownloadState::Failed, response.errorMessage);
        }
        // Retry: network trouble, 5xx/429, or a body that ended short. What is on disk stays.
        const auto delay = policy.delayAfter(attempt, m_clock.now() - started, response.retryAfter,
                                             QRandomGenerator::global()->generateDouble());
        if (!delay) {
            ++run.summary.failed;
            co_return finish(run, item, DownloadState::Failed,
                             response.ok() ? tr("the body ended short after %1 tries").arg(attempt)
                                           : response.errorMessage);
        }
        bool stopped = false;
        try {
            co_await async::sleepFor(m_clock, *delay, item.stop->token());
        } catch (const async::Cancelled &) {
            stopped = true;
        }
        if (stopped) {
            if (item.cancelRequested) {
                removePartial(partPath);
                ++run.summary.cancelled;
                co_return finish(run, item, DownloadState::Cancelled);
            }
            co_return finish(
                run, item, item.pauseRequested ? DownloadState::Paused : DownloadState::Cancelled);
        }
    }
}

QCoro::Task<bool> Downloader::verifyAndFinalize(Run &run, Item &item) {
    const QDir out(run.options.outDir);
    const QString partPath = out.filePath(item.partName + QStringLiteral(".part"));
    const QString finalPath = out.filePath(item.p.name);
    // The name came from outside: make sure it stays in the folder, whatever sanitizing missed.
    if (QFileInfo(finalPath).absolutePath() != QFileInfo(out.absolutePath()).absoluteFilePath()) {
        removePartial(partPath);
        ++run.summary.failed;
        finish(run, item, DownloadState::Failed, tr("refusing a file name outside the folder"));
        co_return false;
    }
    const qint64 size = QFileInfo(partPath).size();
    if (item.p.total >= 0 && size != item.p.total) {
        ++run.summary.failed;
        finish(run, item, DownloadState::Failed,
               tr("incomplete: %1 of %2 bytes").arg(size).arg(item.p.total));
        co_return false;
    }
    if (!item.spec.sha256.isEmpty()) {
        item.p.state = DownloadState::Verifying;
        report(item);
        QString digest;
        QString error;
        if (item.hash) {
            // Usually nearly done: the hashing ran alongside the transfer.
            QFuture<QString> result = item.hash->finish();
            item.hash.reset();
            if (!result.isCanceled()) // QCoro 0.8 crashes on a cancelled future
                digest = co_await result;
            if (digest.isEmpty())
                error = tr("cannot read the partial file back");
        } else {
            // Complete on disk before this run (a 416 on resume): hash the file on the pool.
            auto hashJob = [partPath] {
                QString e;
                const QString d = sha256OfFile(partPath, &e);
                return std::pair{d, e};
            };
            std::tie(digest, error) = co_await compute::offload(hashJob);
        }
        if (digest.isEmpty() || digest != item.spec.sha256.toLower()) {
            removePartial(
                partPath); // a corrupt file never gets its final name; a rerun starts clean
            ++run.summary.failed;
            finish(run, item, DownloadState::Failed,
                   digest.isEmpty() ? tr("cannot read %1 to verify it: %2").arg(partPath, error)
                                    : tr("SHA-256 mismatch: expected %1, got %2")
                                          .arg(item.spec.sha256.toLower(), digest));
            co_return false;
        }
    }
    if (QFile::exists(finalPath) && !run.options.overwrite) {
        ++run.summary.failed;
        finish(run, item, DownloadState::Failed,
               tr("%1 already exists (allow overwriting to replace it)").arg(finalPath));
        co_return false;
    }
    // rename(2) replaces atomically: there is never a moment with a half file under the name.
    std::error_code ec;
    std::filesystem::rename(partPath.toStdString(), finalPath.toStdString(), ec);
    if (ec) {
        ++run.summary.failed;
        finish(run, item, DownloadState::Failed,
               tr("cannot rename to %1: %2").arg(finalPath, QString::fromStdString(ec.message())));
        co_return false;
    }
    QFile::remove(metaPathOf(partPath));
    item.p.path = finalPath;
    item.p.bytes = size;
    finish(run, item, DownloadState::Done);
    co_return true;
}

} // namespace vigil::fetch
