// SPDX-License-Identifier: Apache-2.0
#include "batchrunner.h"
#include "requesttemplate.h"

#include "itemlabel.h"

#include "journal.h"
#include "kinetics.h"

#include "async/channel.h"
#include "async/keyedratelimiter.h"
#include "async/retrypolicy.h"
#include "async/settle.h"
#include "async/taskgroup.h"
#include "async/unlesscancelled.h"
#include "compute/computepool.h"
#include "net/httptypes.h"
#include "net/politeness.h"
#include "util/percentile.h"
#include "util/safefile.h"

#include <QFile>
#include <QScopeGuard>
#include <QSet>

namespace vigil::fetch {

using async::Clock;

namespace {
/// Thrown by a slot whose item failed in fail-fast mode; the group's policy does the rest.
struct StopOnFailure : std::runtime_error {
    StopOnFailure()
        : std::runtime_error("stopped at the first failure") {}
};

bool isFailure(const ItemResult &r) {
    return r.status == ItemStatus::Failed || r.status == ItemStatus::Timeout;
}

void throwIfInvalid(const BatchSpec &spec) {
    if (const auto problems = validate(spec); !problems.isEmpty()) {
        QStringList messages;
        for (const auto &p : problems)
            messages << p.message;
        throw BatchSetupError(messages.join(QStringLiteral("; ")).toStdString());
    }
}

/// What a resumed journal gives the run: the items already ok in it, and how many lines it could
/// not read.
struct Resumed {
    QSet<QString> done;
    int unreadableLines = 0;
};

/// Opens @p journal at @p path for appending and reads what it already holds. Throws
/// BatchSetupError when the file cannot be read, is not a regular file (a device or FIFO can be
/// endless) or was written for another batch.
Resumed resumeJournal(const BatchSpec &spec, JournalWriter &journal, const QString &path) {
    Resumed resumed;
    if (path.isEmpty())
        return resumed;
    if (const QString p = util::notRegularFileProblem(path); !p.isEmpty())
        throw BatchSetupError(QStringLiteral("cannot use journal: %1").arg(p).toStdString());
    QFile existing(path);
    if (existing.exists()) {
        if (!existing.open(QIODevice::ReadOnly))
            throw BatchSetupError(QStringLiteral("cannot read journal %1: %2")
                                      .arg(path, existing.errorString())
                                      .toStdString());
        const auto contents = parseJournal(existing.readAll());
        if (const QString why = journalMismatch(contents, spec); !why.isEmpty())
            throw BatchSetupError(
                QStringLiteral("cannot resume from %1: %2; choose another output file or delete it")
                    .arg(path, why)
                    .toStdString());
        for (const auto &r : contents.results) {
            if (r.status == ItemStatus::Ok)
                resumed.done.insert(r.item);
        }
        resumed.unreadableLines = contents.unreadableLines;
    }
    QString error;
    if (!journal.open(path, spec, &error))
        throw BatchSetupError(error.toStdString());
    return resumed;
}

void completeSummary(BatchSummary &s, const std::vector<double> &latencies,
                     const std::vector<double> &queued, Clock::Duration wall) {
    s.wallS = std::chrono::duration<double>(wall).count();
    const int finished = s.ok + s.failed + s.timeout;
    s.rps = s.wallS > 0 ? finished / s.wallS : 0;
    s.p50Ms = util::nearestRankPercentile(latencies, 50);
    s.p95Ms = util::nearestRankPercentile(latencies, 95);
    s.queueP50Ms = util::nearestRankPercentile(queued, 50);
    s.queueP95Ms = util::nearestRankPercentile(queued, 95);
}
} // namespace

struct BatchRunner::Batch {
    Batch(Clock &clock, BatchSpec s)
        : spec(std::move(s))
        , limiter(clock, spec.ratePerHost, 1.0, spec.autoRate)
        , scheduler(
              clock, limiter, limits(spec), [this] { return takeNext(); },
              [this](int index) { return hostOf(index); }) {}

    static HostScheduler::Limits limits(const BatchSpec &spec) {
        HostScheduler::Limits l;
        l.perHost = spec.perHost;
        l.latencyAware = spec.perHostAuto;
        l.latencyMax = spec.concurrency;
        l.breaker = spec.breaker;
        l.maxPause = spec.maxServerWait;
        return l;
    }

    [[nodiscard]] QString hostOf(int index) const {
        const auto url = itemUrl(spec, spec.items.at(index));
        return url ? net::originKey(*url) : QString();
    }

    /// The next item to fetch, skipping those the journal holds as ok; -1 when none is left. Items
    /// are made one at a time here, never all at once.
    int takeNext() {
        while (next < spec.items.size()) {
            const int index = int(next++);
            if (done.isEmpty() || !done.contains(itemLabel(spec, spec.items.at(index))))
                return index;
        }
        return -1;
    }

    BatchSpec spec;
    QSet<QString> done;
    qsizetype next = 0;
    JournalWriter journal;
    BatchSummary summary;
    std::vector<double> latencies;
    std::vector<double> queued;
    int rank = 0;
    async::KeyedRateLimiter limiter;
    HostScheduler scheduler;
    /// Items whose host paused them mid-send, by index: where each stands, and how long it
    /// waited in its host's line before its first send.
    struct Parked {
        net::PoliteResult sent;
        Clock::Duration held{};
    };
    std::unordered_map<int, Parked> parked;
    std::optional<async::Channel<ItemResult>> computeQueue;
    async::TaskGroup<> *group = nullptr;
};

BatchRunner::BatchRunner(net::Transport &client, async::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock) {}

BatchRunner::~BatchRunner() {
    Q_ASSERT_X(!m_running, "BatchRunner",
               "destroyed while a batch runs; cancel and await it first");
}

HeldStatus BatchRunner::held() const {
    return m_batch ? m_batch->scheduler.held() : HeldStatus{};
}

void BatchRunner::cancel() {
    if (m_stop)
        m_stop->requestStop();
}

QCoro::Task<BatchSummary> BatchRunner::run(BatchSpec spec, QString journalPath) {
    if (m_running)
        throw BatchSetupError("a batch is already running");
    throwIfInvalid(spec);
    Batch batch(m_clock, std::move(spec));
    Resumed resumed = resumeJournal(batch.spec, batch.journal, journalPath);
    batch.done = std::move(resumed.done);
    batch.summary.unreadableJournalLines = resumed.unreadableLines;
    batch.summary.total = int(batch.spec.items.size());
    if (!batch.done.isEmpty()) {
        for (qsizetype i = 0; i < batch.spec.items.size(); ++i)
            batch.summary.skipped +=
                batch.done.contains(itemLabel(batch.spec, batch.spec.items.at(i))) ? 1 : 0;
    }
    const int pending = batch.summary.total - batch.summary.skipped;

    m_running = true;
    m_stop = std::make_unique<async::LinkedStopSource>();
    m_batch = &batch;
    auto notRunning = qScopeGuard([this] {
        m_running = false;
        m_batch = nullptr;
    });
    m_counters->planned += batch.summary.total;
    m_counters->skipped += batch.summary.skipped;
    m_startedAt = m_clock.now();
    m_wallStartedAt = m_clock.wallNow();
    Q_EMIT started(batch.summary.total, batch.summary.skipped);
    const auto startedAt = m_startedAt;

    // Fail-fast is asyncio.TaskGroup: the first slot that fails cancels its siblings.
    async::TaskGroup<> group(batch.spec.failFast ? async::GroupPolicy::FailFast
                                                 : async::GroupPolicy::CollectAll,
                             m_stop->token());
    batch.group = &group;
    std::vector<QCoro::Task<>> workers;
    if (batch.spec.compute != ComputeStage::None) {
        // Two results queued per worker: enough to keep the pool busy, small enough that a slow
        // compute stage holds the fetchers back instead of piling up bodies.
        const int threads = compute::ComputePool::pool().maxThreadCount();
        batch.computeQueue.emplace(std::size_t(2 * threads));
        for (int i = 0; i < threads; ++i)
            workers.push_back(computeWorker(batch));
    }

    // Each slot takes the next item the moment its last one is done, in the same loop pass, so
    // exactly `concurrency` requests stay in flight and at most that many item coroutines exist,
    // however long the item list.
    const int slots = std::min(batch.spec.concurrency, pending);
    for (int i = 0; i < slots; ++i)
        group.spawn(runSlot(batch, group.token()));
    // Every slot has ended either way; a fail-fast stop is already in the results.
    auto joined = async::settle(group.join());
    co_await joined;
    if (batch.computeQueue) {
        batch.computeQueue->close();
        for (auto &w : workers)
            co_await w;
    }
    const QList<int> remaining = batch.scheduler.takeRemaining();
    m_counters->held = 0;
    for (const int index : remaining) {
        ItemResult r;
        r.index = index;
        r.item = itemLabel(batch.spec, batch.spec.items.at(index));
        r.status = ItemStatus::Cancelled;
        if (const auto parked = batch.parked.find(index); parked != batch.parked.end()) {
            r.attempts = parked->second.sent.attempts;
            countSend(parked->second.sent);
        }
        r.error = r.attempts == 0 ? QStringLiteral("not started: the batch was stopped")
                                  : QStringLiteral("cancelled while its host was paused");
        finishItem(batch, std::move(r), false);
    }

    completeSummary(batch.summary, batch.latencies, batch.queued, m_clock.now() - startedAt);
    co_return batch.summary;
}

QCoro::Task<> BatchRunner::runSlot(Batch &batch, std::stop_token token) {
    while (!token.stop_requested()) {
        const auto ticket = batch.scheduler.tryNext();
        m_counters->held = qint64(batch.scheduler.deferred());
        if (!ticket) {
            if (batch.scheduler.finished())
                break;
            auto wake = batch.scheduler.wait(token);
            if (!co_await async::unlessCancelled(wake))
                break;
            continue;
        }
        std::optional<net::PoliteResult> resume;
        HostTicket turnTicket = *ticket;
        if (const auto parked = batch.parked.find(ticket->index); parked != batch.parked.end()) {
            resume = std::move(parked->second.sent);
            turnTicket.held = parked->second.held; // its first wait in line; later ones are in
            batch.parked.erase(parked);            // resume->waited
        }
        ItemResult result;
        if (ticket->givenUp) {
            result = givenUpResult(batch, *ticket, resume ? &*resume : nullptr);
        } else {
            auto fetch = fetchItem(batch.spec, turnTicket, batch.limiter,
                                   resume ? &*resume : nullptr, token);
            ItemTurn turn = co_await fetch;
            if (turn.parked) {
                batch.parked.emplace(ticket->index,
                                     Batch::Parked{std::move(*turn.parked), turnTicket.held});
                batch.scheduler.finish(*ticket, HostOutcome::Parked);
                continue;
            }
            result = std::move(turn.result);
        }
        batch.scheduler.finish(*ticket, hostOutcome(result), lastWireMs(result));
        m_counters->held = qint64(batch.scheduler.deferred());
        if (batch.computeQueue && result.status == ItemStatus::Ok) {
            bool queued = true;
            try {
                // Waiting here while the queue is full is the backpressure: this slot fetches
                // nothing new until the compute stage catches up.
                co_await batch.computeQueue->send(result, token);
            } catch (const std::exception &) {
                queued = false;
            }
            if (queued)
                continue;
            result.body.clear();
            result.error = QStringLiteral("compute stage skipped: the batch was stopped");
        }
        const bool failed = isFailure(result);
        finishItem(batch, std::move(result));
        if (failed && batch.spec.failFast)
            throw StopOnFailure();
    }
}

ItemResult BatchRunner::givenUpResult(const Batch &batch, const HostTicket &ticket,
                                      const net::PoliteResult *parked) {
    ItemResult r;
    r.index = ticket.index;
    r.item = itemLabel(batch.spec, batch.spec.items.at(ticket.index));
    r.status = ItemStatus::Failed;
    r.error = batch.scheduler.givenUpReason(ticket.host);
    if (parked) { // it had been sent before its host was given up
        countSend(*parked);
        r.attempts = parked->attempts;
        r.throttled = parked->throttled;
        r.httpStatus = parked->response.status;
    }
    return r;
}

QCoro::Task<> BatchRunner::computeWorker(Batch &batch) {
    while (auto next = co_await batch.computeQueue->receive()) {
        ItemResult result = std::move(*next);
        auto job = [body = std::exchange(result.body, {})] { return kineticsFromResponse(body); };
        const KineticsResult k = co_await compute::offload(job);
        if (!k.error.isEmpty()) {
            result.status = ItemStatus::Failed;
            result.error = k.error;
        } else {
            result.fields.append({QStringLiteral("k"), k.k});
            result.fields.append({QStringLiteral("C_final"), k.cFinal});
        }
        finishItem(batch, std::move(result));
    }
}

namespace {
void countStatus(TransferCounters &c, ItemStatus status) {
    switch (status) {
    case ItemStatus::Ok:
        ++c.ok;
        break;
    case ItemStatus::Failed:
        ++c.failed;
        break;
    case ItemStatus::Timeout:
        ++c.timeout;
        break;
    case ItemStatus::Cancelled:
        ++c.cancelled;
        break;
    }
}
} // namespace

void BatchRunner::finishItem(Batch &batch, ItemResult result, bool journal) {
    result.rank = ++batch.rank;
    if (journal && batch.journal.isOpen())
        journalItem(batch, result);
    batch.summary.add(result);
    countStatus(*m_counters, result.status);
    if (result.status != ItemStatus::Cancelled && result.attempts > 0) { // not sent: no figures
        batch.latencies.push_back(result.latencyMs);
        batch.queued.push_back(result.queuedMs);
    }
    // A slot's failure stops the group through its fail-fast policy; the compute stage runs
    // outside the group, so its failures cancel it here.
    if (batch.spec.failFast && isFailure(result))
        batch.group->cancel();
    Q_EMIT itemFinished(result);
}

void BatchRunner::journalItem(Batch &batch, ItemResult &result) {
    if (batch.summary.writeError.isEmpty()) {
        QString error;
        if (batch.journal.append(result, &error))
            return;
        // Nothing after this line can be kept, so going on would only fetch results to lose.
        batch.summary.writeError = error;
        batch.group->cancel();
    }
    if (result.status == ItemStatus::Cancelled)
        return;
    ++batch.summary.unsaved;
    result.status = ItemStatus::Failed;
    result.error = QStringLiteral("fetched but not saved: %1").arg(batch.summary.writeError);
}

} // namespace vigil::fetch
