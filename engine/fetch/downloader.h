// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "downloadspec.h"
#include "transfercounters.h"

#include "async/clock.h"
#include "net/politeness.h"

#include <QCoroTask>
#include <QMetaType>
#include <QObject>
#include <QUrl>

#include <memory>

namespace vigil::net {
class HttpClient;
}

namespace vigil::fetch {

/// @brief A snapshot of one download, for rows and progress lines.
struct DownloadProgress {
    int index = -1;
    QString name;
    DownloadState state = DownloadState::Queued;
    qint64 bytes = 0;
    qint64 total = -1; ///< -1 while unknown
    double bytesPerSecond = 0;
    QString error;
    QString path; ///< the final file, once done
    bool resumed = false;
    /// Done without a transfer: the final file was already there, whole (size, and SHA-256 when
    /// one was given).
    bool alreadyComplete = false;
};

/// @brief `downloaded ok=… already_complete=… failed=… cancelled=… interrupted=… bytes=… wall_s=…
/// mb_per_s=… throttled=…`
///
/// The counts are the items' final states (ok = done, interrupted = left paused), so an item that
/// failed and was then resumed or cancelled counts once, as what it ended as. already_complete
/// is part of ok. mb_per_s is megabytes (10^6 bytes) received in this run per second of wall
/// time, the convention of --limit-rate's M.
struct DownloadSummary {
    int ok = 0;
    int failed = 0;
    int cancelled = 0;
    int unfinished = 0;      ///< `interrupted=`: left paused by an interruption, partial data kept
    int alreadyComplete = 0; ///< of ok: complete on disk before this run, nothing fetched
    qint64 bytes = 0;        ///< received in this run
    int throttled = 0;       ///< 429 and 503 answers, over every attempt
    double wallS = 0;
    [[nodiscard]] double mbPerS() const { return wallS > 0 ? double(bytes) / 1e6 / wallS : 0; }
    [[nodiscard]] QString line() const;
    /// Counts @p finalStates; bytes and wallS are the caller's.
    [[nodiscard]] static DownloadSummary fromStates(const QList<DownloadState> &finalStates);
};

/// @brief Bulk downloads: bounded concurrency, bytes straight to `<name>.part` on disk, resume
/// with Range and a validator, SHA-256 verification on the compute pool, and an atomic rename to
/// the final name only once the file is complete and verified.
///
/// A failed or unverified file never appears under its final name; the others go on. GUI thread;
/// the downloader must outlive run().
class Downloader : public QObject {
    Q_OBJECT
public:
    Downloader(net::HttpClient &client, async::Clock &clock, QObject *parent = nullptr);
    ~Downloader() override;

    [[nodiscard]] QCoro::Task<DownloadSummary> run(QList<DownloadItem> items,
                                                   DownloadOptions options);

    /// Stops a file's transfer, keeping what is on disk; resume() queues it again. A file whose
    /// bytes are all on disk is finished (verified and renamed) instead; the check of a file a
    /// rerun found under its final name stops, and resume() checks it again.
    void pause(int index);
    /// Queues a paused, failed or cancelled file again; it resumes from valid partial data.
    void resume(int index);
    /// Stops a file for good and removes its partial data.
    void cancel(int index);
    void pauseAll();
    /// Resumes the paused and failed files; cancelled ones only by resume().
    void resumeAll();
    void cancelAll();
    /// Stops everything but keeps partial files, and lets run() return (Ctrl+C, app quit): the
    /// next run resumes them.
    void interrupt();

    [[nodiscard]] bool isRunning() const { return m_run != nullptr; }
    /// This downloader's counts over all its runs, for `/metrics`; readable from any thread.
    [[nodiscard]] std::shared_ptr<const TransferCounters> counters() const { return m_counters; }
    /// Counts into @p counters instead (before any run): a downloader on another thread shares
    /// its owner's.
    void shareCounters(std::shared_ptr<TransferCounters> counters) {
        m_counters = std::move(counters);
    }
    [[nodiscard]] int inFlight() const;

    /// SHA-256 of a file, read in 1 MiB chunks. Pure; the downloader runs it on the compute pool.
    [[nodiscard]] static QString sha256OfFile(const QString &path, QString *error);

Q_SIGNALS:
    void progress(const vigil::fetch::DownloadProgress &progress);

private:
    struct Run;
    struct Item;
    struct Attempt;
    QCoro::Task<> worker(Run &run);
    QCoro::Task<> download(Run &run, Item &item);
    void prepareAttempt(Run &run, Item &item, Attempt &at, net::HttpRequest &request);
    bool onHeaders(Run &run, Item &item, Attempt &at, int status, const net::RawHeaders &headers);
    bool onChunk(Run &run, Item &item, Attempt &at, const QByteArray &chunk);
    [[nodiscard]] net::AttemptVerdict judgeAttempt(Item &item, Attempt &at,
                                                   const net::HttpResponse &response);
    QCoro::Task<> settle(Run &run, Item &item, Attempt &at, const net::PoliteResult &sent);
    QCoro::Task<> verifyAndFinalize(Run &run, Item &item, Attempt &at);
    [[nodiscard]] qint64 existingFinalSize(const Run &run, const Item &item) const;
    QCoro::Task<> settleExisting(Run &run, Item &item, const Attempt &at);
    QCoro::Task<> acceptExisting(Run &run, Item &item);
    void report(Item &item, bool force = true);
    void finish(Run &run, Item &item, DownloadState state, const QString &error = {});

    net::HttpClient &m_client;
    async::Clock &m_clock;
    Run *m_run = nullptr;
    std::shared_ptr<TransferCounters> m_counters = std::make_shared<TransferCounters>();
};

} // namespace vigil::fetch

Q_DECLARE_METATYPE(vigil::fetch::DownloadProgress)
