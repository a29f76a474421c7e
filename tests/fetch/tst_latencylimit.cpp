// SPDX-License-Identifier: Apache-2.0
// `--per-host auto` on a VirtualClock: a host whose answers slow down when pressed (requests queue
// for its few workers) gets fewer requests at once, and loses no throughput for it.
#include "asynctest.h"

#include "async/sleep.h"
#include "async/unlesscancelled.h"
#include "fetch/batchrunner.h"
#include "fetch/latencylimit.h"
#include "net/transport.h"

#include <QTest>

#include <algorithm>
#include <vector>

using namespace std::chrono_literals;
using namespace vigil;
using vigil::test::drive;

namespace {
/// A server with @p workers workers: a request waits for the first free one (in arrival order),
/// then takes @p service. Latency is its own service time until more than @p workers requests
/// are out at once; then it is the queue's.
class QueueingServer final : public net::Transport {
public:
    QueueingServer(async::VirtualClock &clock, int workers, async::Clock::Duration service)
        : m_clock(clock)
        , m_freeAt(std::size_t(workers), clock.now())
        , m_service(service) {}

    QCoro::Task<net::HttpResponse> send(net::HttpRequest request, std::stop_token token) override {
        const auto now = m_clock.now();
        auto worker = std::min_element(m_freeAt.begin(), m_freeAt.end());
        const auto done = std::max(now, *worker) + m_service;
        *worker = done;
        m_peak = std::max(m_peak, ++m_inFlight);
        auto serve = async::sleepFor(m_clock, done - now, token);
        co_await async::unlessCancelled(serve);
        --m_inFlight;
        net::HttpResponse r;
        r.status = 200;
        r.finalUrl = request.url;
        co_return r;
    }
    [[nodiscard]] int peak() const { return m_peak; }

private:
    async::VirtualClock &m_clock;
    std::vector<async::Clock::TimePoint> m_freeAt;
    async::Clock::Duration m_service;
    int m_inFlight = 0;
    int m_peak = 0;
};

struct Outcome {
    double wallS = 0;
    double medianMs = 0;
    int peak = 0;
};

/// 400 items for one host with 4 workers at 20 ms each, at concurrency 20.
Outcome runBatch(bool latencyAware) {
    async::VirtualClock clock;
    QueueingServer server(clock, 4, 20ms);
    fetch::BatchSpec spec;
    spec.urlTemplate = QStringLiteral("http://queue.example/{item}");
    spec.items = fetch::ItemList::range(400);
    spec.concurrency = 20;
    spec.perHostAuto = latencyAware;
    fetch::BatchRunner runner(server, clock);
    std::vector<double> latencies;
    QObject::connect(
        &runner, &fetch::BatchRunner::itemFinished, &runner,
        [&latencies](const fetch::ItemResult &r) { latencies.push_back(r.latencyMs); });
    const auto summary = drive(runner.run(spec), &clock).value();
    std::sort(latencies.begin(), latencies.end());
    Outcome o{summary.wallS, latencies.at(latencies.size() / 2), server.peak()};
    qInfo("latency-aware %d: wall %.3f s, median latency %.1f ms, peak in flight %d; %s",
          int(latencyAware), o.wallS, o.medianMs, o.peak, qPrintable(summary.line()));
    return o;
}
} // namespace

class TestLatencyLimit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theLimitGrowsWhileFastAndShrinksWhenLatencyClimbs() {
        fetch::LatencyLimit limit(4, 20);
        for (int i = 0; i < 40; ++i)
            limit.observe(20);
        QVERIFY2(limit.current() > 4, qPrintable(QString::number(limit.current())));
        const int grown = limit.current();
        for (int i = 0; i < 40; ++i)
            limit.observe(100); // five times its baseline: requests queue in the server
        QVERIFY2(limit.current() < grown / 2, qPrintable(QString::number(limit.current())));
        QVERIFY(limit.current() >= 1);
        for (int i = 0; i < 400; ++i)
            limit.observe(20);
        QCOMPARE(limit.current(), 20); // back up, never past its maximum
    }

    // Twenty at once against four workers only makes each request wait for the others: the
    // latency-aware limit keeps about as many out as the server serves, so latency stays near
    // the service time and the batch takes no longer.
    void aHostThatQueuesGetsFewerRequestsAtOnce() {
        const Outcome fixed = runBatch(false);
        const Outcome aware = runBatch(true);
        QVERIFY2(fixed.medianMs >= 90, "twenty at once queue for four workers");
        QVERIFY2(aware.medianMs <= 2 * 20, qPrintable(QString::number(aware.medianMs)));
        QVERIFY2(aware.peak < 10, qPrintable(QString::number(aware.peak)));
        QVERIFY2(aware.wallS <= 1.1 * fixed.wallS,
                 qPrintable(QStringLiteral("%1 s against %2 s").arg(aware.wallS).arg(fixed.wallS)));
    }
};

QTEST_GUILESS_MAIN(TestLatencyLimit)
#include "tst_latencylimit.moc"
