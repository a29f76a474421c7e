// SPDX-License-Identifier: Apache-2.0
#include "downloader.h"

#include "downloadnames.h"
#include "downloadrun.h"
#include "finalize.h"

#include "async/retrypolicy.h"
#include "async/taskgroup.h"
#include "compute/sequentialhasher.h"
#include "net/httpclient.h"
#include "util/logging.h"

#include <QDir>

namespace vigil::fetch {

namespace {
/// The policy for one file: generous in time, since a large file may be worth the wait.
async::RetryPolicy retryPolicy(const DownloadOptions &options) {
    return {options.retries + 1, std::chrono::milliseconds(500), std::chrono::seconds(15),
            std::chrono::minutes(30)};
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
    return fetch::sha256OfFile(path, error);
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
    // A file that settles without its digest (cancelled, paused, failed) stops its hashing now,
    // even of a resumed file's prefix; a resume hashes what is on disk again.
    item.hash.reset();
    item.p.state = state;
    item.p.error = error;
    item.p.bytesPerSecond = 0;
    if (state == DownloadState::Done)
        ++(item.p.alreadyComplete ? m_counters->skipped : m_counters->ok);
    else if (state == DownloadState::Failed)
        ++m_counters->failed;
    else if (state == DownloadState::Cancelled)
        ++m_counters->cancelled;
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
    const auto s = item.p.state;
    if (s != DownloadState::Paused && s != DownloadState::Failed && s != DownloadState::Cancelled)
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
    PartFile(m_run->folder, item.partName).remove();
    finish(*m_run, item, DownloadState::Cancelled);
}

void Downloader::pauseAll() {
    if (m_run)
        for (std::size_t i = 0; i < m_run->items.size(); ++i)
            pause(int(i));
}

void Downloader::resumeAll() {
    // A file cancelled for good is resumed only when asked for by itself.
    if (m_run)
        for (std::size_t i = 0; i < m_run->items.size(); ++i)
            if (m_run->items[i]->p.state != DownloadState::Cancelled)
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
    m_counters->planned += items.size();
    const auto started = m_clock.now();
    QString folderError;
    if (QDir().mkpath(options.outDir))
        run.folder = io::Folder::open(options.outDir, &folderError);
    // Every name known before asking is claimed before any request: a server's name arriving
    // later can then never be another item's data, sidecar or file.
    for (qsizetype i = 0; i < items.size(); ++i) {
        auto item = std::make_unique<Item>();
        item->spec = items[i];
        item->p.index = int(i);
        QString name = sanitizeFileName(
            items[i].targetName.isEmpty() ? fileNameFromUrl(items[i].url) : items[i].targetName);
        // A URL that names no file ("http://host/") is saved as download-N: named now, a rerun
        // finds it complete before asking, as it does a named one.
        if (name.isEmpty())
            name = fallbackFileName(int(i));
        item->p.name = run.names.claimPart(int(i), name);
        item->partName = item->p.name;
        run.items.push_back(std::move(item));
    }
    for (auto &item : run.items) {
        if (!run.folder) {
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
    QList<DownloadState> finalStates;
    int alreadyComplete = 0;
    for (const auto &item : run.items) {
        finalStates << item->p.state;
        alreadyComplete += item->p.state == DownloadState::Done && item->p.alreadyComplete;
    }
    DownloadSummary summary = DownloadSummary::fromStates(finalStates);
    summary.alreadyComplete = alreadyComplete;
    summary.bytes = run.bytes;
    summary.throttled = run.throttled;
    summary.wallS = std::chrono::duration<double>(m_clock.now() - started).count();
    m_run = nullptr;
    co_return summary;
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
    item.stop = std::make_unique<async::LinkedStopSource>(run.stop.token());
    item.pauseRequested = item.cancelRequested = false;
    Attempt at;
    net::HttpRequest request;
    request.url = item.spec.url;
    request.timeout = std::chrono::hours(12); // a stall is caught by the idle timeout instead
    request.idleTimeout = run.options.stallTimeout;
    request.bandwidth = &run.budget;
    request.holdReads = [&run, &item] {
        return item.hash && hashingBehind(*item.hash, run.pendingHashMemory());
    };
    // Range/If-Range follow what is on disk, which changes from one attempt to the next.
    net::PoliteHooks hooks;
    hooks.prepare = [this, &run, &item, &at](net::HttpRequest &r, int) {
        prepareAttempt(run, item, at, r);
    };
    hooks.judge = [this, &item, &at](const net::HttpResponse &r) {
        return judgeAttempt(item, at, r);
    };
    // With a checksum, a file already under its name is judged without asking the server at all.
    if (!item.spec.sha256.isEmpty() && existingFinalSize(run, item) >= 0) {
        auto accepting = acceptExisting(run, item);
        co_await accepting;
        co_return;
    }
    const async::RetryPolicy policy = retryPolicy(run.options);
    const std::stop_token token = item.stop->token();
    auto send = net::sendPolitely(m_client, run.limiter, request, policy, m_clock, token, hooks);
    ++m_counters->inFlight;
    const net::PoliteResult sent = co_await send;
    --m_counters->inFlight;
    m_counters->retries += std::max(0, sent.attempts - 1);
    m_counters->hostPauses += sent.hostPauses;
    m_counters->throttled += sent.throttled;
    run.throttled += sent.throttled;
    auto settling = settle(run, item, at, sent);
    co_await settling;
}

qint64 Downloader::existingFinalSize(const Run &run, const Item &item) const {
    if (run.options.overwrite || item.p.name.isEmpty() || !run.folder)
        return -1;
    const io::FileStatus status = run.folder->status(item.p.name);
    return status.isSafe() ? status.size : -1;
}

QCoro::Task<> Downloader::settleExisting(Run &run, Item &item, const Attempt &at) {
    using Kind = ExistingFileVerdict::Kind;
    const QString path = run.folder->filePath(item.p.name);
    switch (at.finalCheck->kind) {
    case Kind::Complete: {
        auto accepting = acceptExisting(run, item);
        co_await accepting;
        co_return;
    }
    case Kind::Differs:
        co_return finish(run, item, DownloadState::Failed,
                         tr("%1 already exists with %2 bytes, the server's file has %3 (allow "
                            "overwriting to replace it)")
                             .arg(path)
                             .arg(at.finalSize)
                             .arg(at.finalCheck->serverSize));
    case Kind::Unknown:
    case Kind::NotABody:
        break;
    }
    finish(run, item, DownloadState::Failed,
           tr("%1 already exists and the server did not give a size to compare it with "
              "(allow overwriting to replace it)")
               .arg(path));
}

QCoro::Task<> Downloader::acceptExisting(Run &run, Item &item) {
    const QString path = run.folder->filePath(item.p.name);
    if (!item.spec.sha256.isEmpty()) {
        item.p.state = DownloadState::Verifying;
        report(item);
        // A multi-GB file takes seconds: Cancel, Pause and Ctrl+C stop the hash, not wait for it.
        auto hashing = sha256InFolder(run.folder, item.p.name, item.stop->token());
        const auto [digest, error] = co_await hashing;
        if (item.cancelRequested) {
            PartFile(run.folder, item.partName).remove();
            co_return finish(run, item, DownloadState::Cancelled);
        }
        // Nothing to keep: a resume checks the whole file again.
        if (item.pauseRequested)
            co_return finish(run, item, DownloadState::Paused);
        if (digest != item.spec.sha256.toLower())
            co_return finish(
                run, item, DownloadState::Failed,
                digest.isEmpty()
                    ? tr("cannot read %1 to verify it: %2").arg(path, error)
                    : tr("%1 already exists and does not match its SHA-256 (allow overwriting to "
                         "replace it)")
                          .arg(path));
    }
    // Whatever an older run left beside the complete file is of no use any more.
    PartFile(run.folder, item.partName).remove();
    qCDebug(lcDownload) << item.p.name << "is already complete: skipped";
    item.p.path = path;
    item.p.total = item.p.bytes = run.folder->status(item.p.name).size;
    item.p.alreadyComplete = true;
    finish(run, item, DownloadState::Done);
}

QCoro::Task<> Downloader::settle(Run &run, Item &item, Attempt &at, const net::PoliteResult &sent) {
    const net::HttpResponse &response = sent.response;
    if (item.cancelRequested) {
        at.part.remove();
        co_return finish(run, item, DownloadState::Cancelled);
    }
    // A pause that comes once every byte is on disk finds the file finishing, not paused.
    const bool received = item.p.total >= 0 && at.part.size() == item.p.total;
    if (item.pauseRequested && !received)
        co_return finish(run, item, DownloadState::Paused);
    if (sent.cancelled && !item.pauseRequested)
        co_return finish(run, item, DownloadState::Cancelled);
    if (!at.writeError.isEmpty())
        co_return finish(run, item, DownloadState::Failed, at.writeError);
    if (at.finalCheck && at.finalCheck->kind != ExistingFileVerdict::Kind::NotABody) {
        auto judging = settleExisting(run, item, at);
        co_await judging;
        co_return;
    }
    if (at.restart)
        co_return finish(run, item, DownloadState::Failed,
                         tr("the server's ranges did not fit the partial file after %1 tries")
                             .arg(sent.attempts));
    const bool complete = item.p.total < 0 || at.part.size() == item.p.total;
    if (at.alreadyComplete || (response.ok() && complete) || item.pauseRequested) {
        auto finalizing = verifyAndFinalize(run, item, at);
        co_await finalizing;
        co_return;
    }
    finish(run, item, DownloadState::Failed,
           response.ok() ? tr("the body ended short after %1 tries").arg(sent.attempts)
                         : response.errorMessage);
}

QCoro::Task<> Downloader::verifyAndFinalize(Run &run, Item &item, Attempt &at) {
    FinalizeJob job;
    job.finalName = item.p.name;
    job.expectedSize = item.p.total;
    job.sha256 = item.spec.sha256;
    job.hasher = std::move(item.hash);
    job.overwrite = run.options.overwrite;
    std::function<void()> verifying = [this, &item] {
        item.p.state = DownloadState::Verifying;
        report(item);
    };
    auto finalizing = finalizeDownload(at.part, std::move(job), verifying);
    const FinalizeResult result = co_await finalizing;
    if (!result.error.isEmpty())
        co_return finish(run, item, DownloadState::Failed, result.error);
    item.p.path = result.path;
    item.p.bytes = result.size;
    finish(run, item, DownloadState::Done);
}

} // namespace vigil::fetch
