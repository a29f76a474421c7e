// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "batchrunner.h"

#include "async/workerthread.h"

#include <QCoroTask>
#include <QObject>

namespace vigil::fetch {

/// @brief A BatchRunner on a thread of its own, with its own HTTP client and clock, driven from
/// the GUI thread.
///
/// With 16 charts streaming, a batch on the GUI thread ran at two thirds of its solo speed: its
/// 200 connections' replies waited for each frame to be drawn. Here only the results cross to
/// the GUI thread, queued, in completion order.
///
/// The calls mirror BatchRunner's and are carried out on the batch thread in the order made. One
/// batch at a time. Destroy it only when no batch runs (cancel(), then let run() return).
class BatchThread : public QObject {
    Q_OBJECT
public:
    explicit BatchThread(QObject *parent = nullptr);
    ~BatchThread() override;
    BatchThread(const BatchThread &) = delete;
    BatchThread &operator=(const BatchThread &) = delete;

    /// Runs @p spec on the batch thread; the batch is under way once the task is made, so a
    /// cancel() right after stops it. Rethrows the runner's BatchSetupError.
    [[nodiscard]] QCoro::Task<BatchSummary> run(BatchSpec spec);
    void cancel();
    /// From run() until its summary is back on this object's thread.
    [[nodiscard]] bool isRunning() const { return m_running; }
    /// Where the batch runs, for tests and diagnostics.
    [[nodiscard]] const QThread *batchThread() const { return m_worker.thread(); }
    /// The runner's counts, for `/metrics`; readable from any thread.
    [[nodiscard]] std::shared_ptr<const TransferCounters> counters() const { return m_counters; }

Q_SIGNALS:
    /// BatchRunner's signals, queued to this object's thread in the order they were sent.
    void started(int total, int skipped);
    void itemFinished(const vigil::fetch::ItemResult &result);

private:
    class Host;

    /// Made before the thread starts, which then hands it to its runner.
    std::shared_ptr<TransferCounters> m_counters = std::make_shared<TransferCounters>();
    async::Handover<BatchSummary> m_summary; ///< each batch's, from the batch thread
    async::WorkerThread<Host> m_worker;
    bool m_running = false;
};

} // namespace vigil::fetch
