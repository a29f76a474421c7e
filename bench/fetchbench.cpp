// SPDX-License-Identifier: Apache-2.0
#include "fetchbench.h"

#include "coresplit.h"
#include "demoprocess.h"
#include "util/processstats.h"

#include "async/clock.h"
#include "async/notifier.h"
#include "async/sleep.h"
#include "fetch/batchrunner.h"
#include "net/httpclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <cmath>
#include <stdexcept>

namespace vigil::bench {

QString FetchBenchResult::summaryLine() const {
    return QStringLiteral("bench-fetch transport=%16 cores=%17 n=%1 c=%2 latency_ms=%3 ok=%4 "
                          "wall_s=%5 ideal_s=%6 "
                          "efficiency=%7 rps=%8 cpu_s=%9 cpu_us_per_req=%10 peak_rss_mb=%11 "
                          "server_peak_in_flight=%12 server_late_us_p95=%13 p50_ms=%14 p95_ms=%15")
        .arg(n)
        .arg(concurrency)
        .arg(latencyMs)
        .arg(ok)
        .arg(wallS, 0, 'f', 3)
        .arg(idealS, 0, 'f', 3)
        .arg(efficiency(), 0, 'f', 3)
        .arg(wallS > 0 ? ok / wallS : 0, 0, 'f', 0)
        .arg(cpuS, 0, 'f', 2)
        .arg(ok > 0 ? cpuS / ok * 1e6 : 0, 0, 'f', 0)
        .arg(peakRssMb, 0, 'f', 1)
        .arg(serverPeakInFlight)
        .arg(serverLateUsP95, 0, 'f', 0)
        .arg(p50Ms, 0, 'f', 1)
        .arg(p95Ms, 0, 'f', 1)
        .arg(qtNetwork ? QStringLiteral("qt-network") : QStringLiteral("vigil-http1"), cores);
}

QCoro::Task<FetchBenchResult> runFetchBench(QString vigilBinary, int n, int c, int latencyMs,
                                            bool qtNetwork, bool separateCores) {
    QProcess server;
    std::exception_ptr failure;
    FetchBenchResult result;
    try {
        const QString base = co_await startDemoProcess(server, vigilBinary);
        // Qt's network threads spread over the cores by themselves; the one-thread client needs
        // its own core to be measured rather than time-shared with the server.
        result.cores = separateCores && !qtNetwork ? splitCores(server.processId()).description
                                                   : QStringLiteral("shared");
        net::HttpClient client;
        client.setMaxManagers(0); // the benchmark asks for as many connections as c needs
        client.setQtNetworkOnly(qtNetwork);
        result.qtNetwork = qtNetwork;
        fetch::BatchRunner runner(client, async::Clock::system());
        fetch::BatchSpec spec;
        spec.urlTemplate = base + QStringLiteral("/item/{item}?ms=") + QString::number(latencyMs);
        for (int i = 0; i < n; ++i)
            spec.items << QString::number(i);
        spec.concurrency = c;
        spec.retries = 0;
        spec.timeout = std::chrono::milliseconds(60000);

        const double cpuBefore = util::processCpuSeconds();
        const auto summary = co_await runner.run(spec);
        result.cpuS = util::processCpuSeconds() - cpuBefore;
        result.n = n;
        result.concurrency = c;
        result.latencyMs = latencyMs;
        result.ok = summary.ok;
        result.wallS = summary.wallS;
        result.p50Ms = summary.p50Ms;
        result.p95Ms = summary.p95Ms;
        result.idealS = std::ceil(double(n) / c) * latencyMs / 1000.0;
        result.peakRssMb = util::peakRssMB();

        net::HttpRequest statsRequest;
        statsRequest.url = QUrl(base + QStringLiteral("/stats"));
        const auto stats = co_await client.send(statsRequest);
        const QJsonObject serverView = QJsonDocument::fromJson(stats.body).object();
        result.serverPeakInFlight = serverView.value(QStringLiteral("peak_in_flight")).toInt();
        result.serverLateUsP95 = serverView.value(QStringLiteral("late_us_p95")).toDouble();
    } catch (...) {
        failure = std::current_exception();
    }
    stopDemoProcess(server);
    if (failure)
        std::rethrow_exception(failure);
    co_return result;
}

} // namespace vigil::bench
