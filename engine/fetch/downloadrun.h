// SPDX-License-Identifier: Apache-2.0
#pragma once

// The state of one Downloader::run(), shared by downloader.cpp (the queue, the controls and the
// outcome) and downloadattempt.cpp (one attempt's request and body). Not part of the API.

#include "downloader.h"
#include "downloadnames.h"
#include "partfile.h"
#include "resumeprotocol.h"

#include "async/bytebudget.h"
#include "async/cancellation.h"
#include "async/keyedratelimiter.h"
#include "async/notifier.h"
#include "compute/sequentialhasher.h"

#include <QElapsedTimer>

#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace vigil::fetch {

/// Memory that chunks waiting to be hashed may hold before a file's transfer holds its reads, so
/// memory stays flat. A plain-http read fills a reused block of up to 1 MiB: a file alone keeps
/// one block hashing and one queued, so reading and hashing overlap.
inline constexpr qint64 kMaxPendingHashMemory = 2 * 1024 * 1024;
/// Across the files of a run, a file holds once one of its blocks waits and this much waits in
/// all: four files then keep two pool threads busy with about one block each, where two each put
/// peak RSS at 51 MB in the 4 x 256 MiB bench.
inline constexpr qint64 kMaxPendingHashMemoryPerRun = 3 * 1024 * 1024;

/// Whether @p hash is far enough behind its transfer for it to stop reading for now, when the
/// hashes of all the run's files hold @p inRun.
[[nodiscard]] inline bool hashingBehind(const compute::SequentialHasher &hash, qint64 inRun) {
    const qint64 mine = hash.pendingMemory();
    return mine >= kMaxPendingHashMemory ||
           (mine >= kMaxPendingHashMemory / 2 && inRun >= kMaxPendingHashMemoryPerRun);
}

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
        , limiter(clock, o.requestsPerSecondPerHost, 1.0, o.autoRate)
        , budget(clock, o.bandwidth) {}
    DownloadOptions options;
    std::shared_ptr<const io::Folder> folder; ///< null when the folder cannot be opened
    BatchNames names; ///< every item's part, sidecar and final names, unique across the run
    std::vector<std::unique_ptr<Item>> items;
    std::deque<int> queue;
    async::KeyedRateLimiter limiter;
    async::ByteBudget budget;
    async::Notifier changed;
    async::LinkedStopSource stop;
    qint64 bytes = 0;  ///< received in this run, by all items
    int throttled = 0; ///< 429 and 503 answers
    int active = 0;
    bool interrupted = false;

    /// Memory held by chunks waiting to be hashed, over all files: every file's hasher counts
    /// into it, so a hold check costs one load however long the list.
    std::shared_ptr<std::atomic<qint64>> hashMemory = std::make_shared<std::atomic<qint64>>(0);
    [[nodiscard]] qint64 pendingHashMemory() const { return hashMemory->load(); }

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

/// One file's partial data and what the current attempt learnt from the server's answer.
struct Downloader::Attempt {
    PartFile part;
    qint64 existing = 0;  ///< bytes on disk when the attempt started
    QString writeError;   ///< the disk failed us: no retry helps
    bool restart = false; ///< the server sent a range we did not ask for
    bool alreadyComplete = false;
    /// The size of a file already under the final name, probed instead of resumed; -1 for none.
    qint64 finalSize = -1;
    std::optional<ExistingFileVerdict> finalCheck; ///< what the probe's answer said
};

} // namespace vigil::fetch
