// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "downloader.h"

#include "async/workerthread.h"

#include <QCoroTask>
#include <QObject>
#include <QSet>

namespace vigil::fetch {

/// @brief A Downloader on a thread of its own, with its own HTTP client and clock, driven from the
/// GUI thread.
///
/// On the GUI thread every socket read and file write of a download waited for the charts to
/// draw, and the charts waited for them: with 16 charts streaming, downloads ran at 0.4× their
/// solo speed and the charts at 20 fps. Here a download's bytes never reach the GUI thread; only
/// its progress does, queued, at most ten reports a second per file.
///
/// The calls mirror Downloader's, and each is carried out on the download thread in the order
/// made. One run at a time. Destroy it only when no run is under way (interrupt(), then let run()
/// return); the destructor then ends the idle thread and joins it.
class DownloadThread : public QObject {
    Q_OBJECT
public:
    explicit DownloadThread(QObject *parent = nullptr);
    ~DownloadThread() override;
    DownloadThread(const DownloadThread &) = delete;
    DownloadThread &operator=(const DownloadThread &) = delete;

    /// Runs @p items on the download thread; the run is under way once the task is made. The
    /// items whose indexes are in @p startPaused are paused before any is asked for, as after a
    /// restart that found them paused by the user.
    [[nodiscard]] QCoro::Task<DownloadSummary>
    run(QList<DownloadItem> items, DownloadOptions options, QSet<int> startPaused = {});
    /// The downloader's counts, for `/metrics`; readable from any thread.
    [[nodiscard]] std::shared_ptr<const TransferCounters> counters() const { return m_counters; }
    void pause(int index);
    void resume(int index);
    void cancel(int index);
    void pauseAll();
    void resumeAll();
    void cancelAll();
    void interrupt();
    /// From run() until its summary is back on this object's thread.
    [[nodiscard]] bool isRunning() const { return m_running; }
    /// Where the downloads run, for tests and diagnostics.
    [[nodiscard]] const QThread *downloadThread() const { return m_worker.thread(); }

Q_SIGNALS:
    /// The downloader's reports, in order, queued to this object's thread.
    void progress(const vigil::fetch::DownloadProgress &progress);

private:
    class Host;
    void post(std::function<void(Host &)> call);

    /// Made before the thread starts, which then hands it to its downloader.
    std::shared_ptr<TransferCounters> m_counters = std::make_shared<TransferCounters>();
    async::Handover<DownloadSummary> m_summary; ///< each run's, from the download thread
    async::WorkerThread<Host> m_worker;
    bool m_running = false;
};

} // namespace vigil::fetch
