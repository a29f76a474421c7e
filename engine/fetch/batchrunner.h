// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "batchspec.h"
#include "hostscheduler.h"
#include "itemresult.h"
#include "transfercounters.h"

#include "async/cancellation.h"
#include "async/clock.h"
#include "net/politeness.h"

#include <QCoroTask>
#include <QDateTime>
#include <QObject>

#include <memory>
#include <stdexcept>

namespace vigil::async {
class KeyedRateLimiter;
}
namespace vigil::net {
class Transport;
}

namespace vigil::fetch {

/// @brief A batch that cannot start: an invalid spec, or a journal it cannot use.
class BatchSetupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What an item's end says about its host, for the circuit breaker.
[[nodiscard]] HostOutcome hostOutcome(const ItemResult &r);
/// The item's last exchange's time on the wire, for a latency-aware host limit; -1 when it sent
/// nothing.
[[nodiscard]] double lastWireMs(const ItemResult &r);

/// @brief Runs a BatchSpec: bounded concurrency (per batch and per host), a per-host rate limit,
/// retries that honour Retry-After (a 429 pauses its whole host, whose items then wait in their
/// host's line while the slots serve other hosts), results in completion order, a JSONL journal
/// that a rerun resumes from, and an optional compute stage behind a bounded channel.
///
/// One batch at a time. The runner must outlive run(); cancel() stops it promptly, and run() then
/// returns with everything finished so far kept and journaled.
class BatchRunner : public QObject {
    Q_OBJECT
public:
    /// Sends through @p client: an HttpClient, or a simulated server in tests.
    BatchRunner(net::Transport &client, async::Clock &clock, QObject *parent = nullptr);
    ~BatchRunner() override;

    /// Runs @p spec. With @p journalPath, results are appended there and items already ok in it
    /// are skipped; a write error stops the batch (summary.writeError). Throws BatchSetupError
    /// before any request if the batch cannot start.
    [[nodiscard]] QCoro::Task<BatchSummary> run(BatchSpec spec, QString journalPath = {});

    void cancel();
    [[nodiscard]] bool isRunning() const { return m_running; }
    /// The items the running batch holds back for hosts that cannot take a request yet (paused,
    /// full, at their rate, in a breaker time-out); empty when no batch runs.
    [[nodiscard]] HeldStatus held() const;
    /// This runner's counts over all its batches, for `/metrics`; readable from any thread.
    [[nodiscard]] std::shared_ptr<const TransferCounters> counters() const { return m_counters; }
    /// Counts into @p counters instead (before any run): a runner on another thread shares its
    /// owner's.
    void shareCounters(std::shared_ptr<TransferCounters> counters) {
        m_counters = std::move(counters);
    }

Q_SIGNALS:
    /// The batch starts: @p total items, of which @p skipped were already done.
    void started(int total, int skipped);
    /// An item finished, in completion order (rank 1, 2, …).
    void itemFinished(const vigil::fetch::ItemResult &result);

private:
    struct Batch;
    /// One turn of an item: its result, or where it stands when its host paused (parked).
    struct ItemTurn {
        ItemResult result;
        std::optional<net::PoliteResult> parked;
    };
    QCoro::Task<ItemTurn> fetchItem(const BatchSpec &spec, const HostTicket &ticket,
                                    async::KeyedRateLimiter &limiter,
                                    const net::PoliteResult *resume, std::stop_token token);
    /// One of `concurrency` slots: fetches the next item the scheduler hands out until none is
    /// left or the batch stops.
    QCoro::Task<> runSlot(Batch &batch, std::stop_token token);
    QCoro::Task<> computeWorker(Batch &batch);
    void finishItem(Batch &batch, ItemResult result, bool journal = true);
    /// Adds a finished (or abandoned) send's retries, pauses, 429/503s and bytes to the counters.
    void countSend(const net::PoliteResult &sent);
    /// The result of an item whose host the breaker gave up on; @p parked when it had been sent.
    ItemResult givenUpResult(const Batch &batch, const HostTicket &ticket,
                             const net::PoliteResult *parked);
    /// Journals @p result; after a write error, stops the batch and turns results that were
    /// fetched but not written into failures ("fetched but not saved: …").
    void journalItem(Batch &batch, ItemResult &result);

    net::Transport &m_client;
    async::Clock &m_clock;
    std::unique_ptr<async::LinkedStopSource> m_stop;
    std::shared_ptr<TransferCounters> m_counters = std::make_shared<TransferCounters>();
    bool m_running = false;
    QDateTime m_wallStartedAt;             ///< when the batch started: the items' timelineZeroMs
    async::Clock::TimePoint m_startedAt{}; ///< the same moment: the zero of the timelines
    const Batch *m_batch = nullptr;        ///< the batch run() is running
};

} // namespace vigil::fetch
