// SPDX-License-Identifier: Apache-2.0
#include "batchthread.h"

#include "async/clock.h"
#include "async/taskscope.h"
#include "net/httpclient.h"

namespace vigil::fetch {

/// @brief Everything a batch needs, on the batch thread: its clock (timers belong to a thread),
/// HTTP client and runner, and the task of the batch under way.
class BatchThread::Host : public QObject {
public:
    Host(BatchThread &owner, async::Handover<BatchSummary> &summary)
        : m_summary(summary)
        , m_clock(this)
        , m_client(m_clock, this)
        , m_runner(m_client, m_clock, this) {
        m_runner.shareCounters(owner.m_counters);
        // Signal to signal: emitted here, queued to the owner's thread.
        connect(&m_runner, &BatchRunner::started, &owner, &BatchThread::started);
        connect(&m_runner, &BatchRunner::itemFinished, &owner, &BatchThread::itemFinished);
    }

    void start(BatchSpec spec) { m_tasks.spawn(runBatch(std::move(spec))); }
    void cancel() { m_runner.cancel(); }

private:
    QCoro::Task<> runBatch(BatchSpec spec) {
        try {
            auto run = m_runner.run(std::move(spec));
            const BatchSummary summary = co_await run;
            m_summary.deliver(summary);
        } catch (...) {
            m_summary.fail(std::current_exception());
        }
    }

    async::Handover<BatchSummary> &m_summary;
    async::RealClock m_clock;
    net::HttpClient m_client;
    BatchRunner m_runner;
    async::TaskScope m_tasks; // the batch under way; it ends by itself or by cancel()
};

BatchThread::BatchThread(QObject *parent)
    : QObject(parent)
    , m_summary(*this)
    , m_worker(QStringLiteral("vigil-batch"), *this, m_summary) {}

BatchThread::~BatchThread() {
    Q_ASSERT_X(!m_running, "BatchThread", "destroyed during a batch: cancel and await it");
}

QCoro::Task<BatchSummary> BatchThread::run(BatchSpec spec) {
    Q_ASSERT_X(!m_running, "BatchThread::run", "one batch at a time");
    m_running = true;
    auto start = [spec = std::move(spec)](Host &host) { host.start(spec); };
    m_worker.post(std::move(start));
    auto finished = m_summary.take();
    try {
        BatchSummary summary = co_await finished;
        m_running = false;
        co_return summary;
    } catch (...) {
        m_running = false;
        throw;
    }
}

void BatchThread::cancel() {
    m_worker.post([](Host &host) { host.cancel(); });
}

} // namespace vigil::fetch
