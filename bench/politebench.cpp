// SPDX-License-Identifier: Apache-2.0
#include "politebench.h"

#include "demoprocess.h"

#include "async/clock.h"
#include "async/sleep.h"
#include "fetch/batchrunner.h"
#include "net/httpclient.h"

#include <QElapsedTimer>
#include <QProcess>

#include <vector>

namespace vigil::bench {

namespace {
constexpr qint64 kSettleMs = 10000; // the first 10 s find the limit; the rest is "settled"

/// One batch of @p items against @p url at @p concurrency; @p autoRate learns the limit.
QCoro::Task<PolitePhase> runPhase(QString urlTemplate, int items, int concurrency, bool autoRate) {
    net::HttpClient client;
    fetch::BatchRunner runner(client, async::Clock::system());
    fetch::BatchSpec spec;
    spec.urlTemplate = urlTemplate;
    spec.items = fetch::ItemList::range(items);
    spec.concurrency = concurrency;
    if (autoRate)
        spec.autoRate = async::AutoRateBounds{};
    PolitePhase phase;
    phase.items = items;
    std::vector<qint64> okAt;
    QElapsedTimer clock;
    clock.start();
    QObject::connect(&runner, &fetch::BatchRunner::itemFinished, &runner,
                     [&](const fetch::ItemResult &r) {
                         phase.requests += r.attempts;
                         if (r.status == fetch::ItemStatus::Ok)
                             okAt.push_back(clock.elapsed());
                     });
    auto running = runner.run(spec); // bound first: GCC 12, see DESIGN.md
    const fetch::BatchSummary summary = co_await running;
    phase.throttled = summary.throttled;
    phase.ok = summary.ok;
    phase.wallS = summary.wallS;
    qint64 settled = 0;
    for (const qint64 t : okAt)
        settled += t >= kSettleMs ? 1 : 0;
    const qint64 span = okAt.empty() ? 0 : okAt.back() - kSettleMs;
    phase.settledRps = span > 0 ? double(settled) * 1000.0 / double(span) : 0;
    co_return phase;
}

QCoro::Task<> emptyTheWindow() {
    co_await async::sleepFor(async::Clock::system(), std::chrono::milliseconds(1500));
}
} // namespace

QString PoliteBenchResult::summaryLine() const {
    const double ratio = limit > 0 ? learned.settledRps / limit : 0;
    const bool met = learned.throttledShare() <= 0.03 && ratio >= 0.9 && announced.throttled == 0;
    return QStringLiteral("bench-polite limit_rps=%1 concurrency=%2 naive_requests=%3 "
                          "naive_throttled_pct=%4 auto_items=%5 auto_requests=%6 "
                          "auto_throttled_pct=%7 auto_settled_rps=%8 settled_ratio=%9 "
                          "announced_throttled=%10 announced_settled_rps=%11 met=%12")
        .arg(limit)
        .arg(concurrency)
        .arg(naive.requests)
        .arg(100 * naive.throttledShare(), 0, 'f', 1)
        .arg(learned.items)
        .arg(learned.requests)
        .arg(100 * learned.throttledShare(), 0, 'f', 1)
        .arg(learned.settledRps, 0, 'f', 2)
        .arg(ratio, 0, 'f', 2)
        .arg(announced.throttled)
        .arg(announced.settledRps, 0, 'f', 2)
        .arg(met ? QStringLiteral("yes") : QStringLiteral("no"));
}

QCoro::Task<PoliteBenchResult> runPoliteBench(PoliteBenchOptions options) {
    QProcess server;
    std::exception_ptr failure;
    PoliteBenchResult result;
    result.limit = options.limit;
    result.concurrency = options.concurrency;
    try {
        const QString base = co_await startDemoProcess(server, options.vigilBinary);
        const QString quota =
            base + QStringLiteral("/quota/{item}?ms=20&rps=") + QString::number(options.limit);
        // A fifth of the items is enough to show what not knowing the limit costs.
        auto naive = runPhase(quota, std::max(1, options.items / 5), options.concurrency, false);
        result.naive = co_await naive;
        co_await emptyTheWindow();
        auto learned = runPhase(quota, options.items, options.concurrency, true);
        result.learned = co_await learned;
        co_await emptyTheWindow();
        auto announced = runPhase(quota + QStringLiteral("&announce=1"), options.items,
                                  options.concurrency, true);
        result.announced = co_await announced;
    } catch (...) {
        failure = std::current_exception();
    }
    stopDemoProcess(server);
    if (failure)
        std::rethrow_exception(failure);
    co_return result;
}

} // namespace vigil::bench
