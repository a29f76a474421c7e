// SPDX-License-Identifier: Apache-2.0
#include "benchflags.h"
#include "clisupport.h"

#include "bench/appbench.h"
#include "bench/downloadbench.h"
#include "bench/fetchbench.h"
#include "bench/hostsbench.h"
#include "bench/idlebench.h"
#include "bench/plotbench.h"
#include "compute/offloadbench.h"
#include "demo/hostoutage.h"
#include "fetch/downloadnames.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace vigil::cli {

namespace {
QCoro::Task<int> benchOffload(std::chrono::milliseconds job) {
    const auto result = co_await compute::runOffloadBench(job);
    out() << result.summaryLine() << Qt::endl;
    co_return kExitOk;
}
QCoro::Task<int> benchFetch(int n, int c, int latencyMs, bool qtNetwork, bool separateCores) {
    const auto result = co_await bench::runFetchBench(QCoreApplication::applicationFilePath(), n, c,
                                                      latencyMs, qtNetwork, separateCores);
    out() << result.summaryLine() << Qt::endl;
    co_return result.ok == n ? kExitOk : kExitFailed;
}

QCoro::Task<int> benchDownload(bench::DownloadBenchOptions options) {
    const auto result =
        co_await bench::runDownloadBench(QCoreApplication::applicationFilePath(), options);
    out() << result.summaryLine() << Qt::endl;
    co_return kExitOk;
}

QCoro::Task<int> benchPlot(bench::PlotBenchOptions options) {
    const auto result = co_await bench::runPlotBench(options);
    out() << result.summaryLine() << Qt::endl;
    co_return kExitOk;
}

QCoro::Task<int> benchHosts(bench::HostsBenchOptions options) {
    auto run = bench::runHostsBench(options);
    const auto result = co_await run;
    out() << result.summaryLine() << Qt::endl;
    co_return result.ok == options.items ? kExitOk : kExitFailed;
}

/// `bench fetch --hosts N`: the fan-out run, with its own defaults.
int benchHostsFromFlags(const QCommandLineParser &parser, const BenchFlags &f) {
    const auto orDefault = [&parser](const QCommandLineOption &o, int lo, int hi, int fallback) {
        return parser.isSet(o) ? intOption(parser, o, lo, hi) : std::optional(fallback);
    };
    bench::HostsBenchOptions o;
    o.vigilBinary = QCoreApplication::applicationFilePath();
    const auto hosts = intOption(parser, f.hosts, 1, demo::kMaxDemoHosts);
    const auto items = orDefault(f.n, 1, 10000000, 100000);
    const auto c = orDefault(f.concurrency, 1, 5000, 500);
    const auto perHost = intOption(parser, f.perHost, 0, 5000);
    const auto rate = orDefault(f.rateHz, 1, 1000, 5);
    const auto latency = orDefault(f.latency, 0, 60000, 0);
    if (!hosts || !items || !c || !perHost || !rate || !latency)
        return usageError("bench", QStringLiteral("fetch --hosts takes 1..%1 hosts, --n "
                                                  "1..10000000, --concurrency 1..5000, --per-host "
                                                  "0..5000, --rate-hz 1..1000, --latency-ms "
                                                  "0..60000")
                                       .arg(demo::kMaxDemoHosts));
    o.hosts = *hosts;
    o.items = *items;
    o.concurrency = *c;
    o.perHost = *perHost;
    o.rate = *rate;
    o.latencyMs = *latency;
    return runOnLoop(benchHosts(o));
}

int benchFetchFromFlags(const QCommandLineParser &parser, const BenchFlags &f) {
    if (parser.isSet(f.hosts))
        return benchHostsFromFlags(parser, f);
    const auto nValue = intOption(parser, f.n, 1, 10000000);
    const auto cValue = intOption(parser, f.concurrency, 1, 5000);
    const auto lValue = intOption(parser, f.latency, 0, 60000);
    if (!nValue || !cValue || !lValue)
        return usageError("bench", QStringLiteral("--n (1..10000000), --concurrency (1..5000) and "
                                                  "--latency-ms (0..60000) take whole numbers"));
    return runOnLoop(benchFetch(*nValue, *cValue, *lValue, parser.isSet(f.qtNetwork),
                                !parser.isSet(f.sharedCores)));
}

int benchPlotFromFlags(const QCommandLineParser &parser, const BenchFlags &f) {
    const auto s = intOption(parser, f.series, 1, 64);
    const auto h = intOption(parser, f.rateHz, 1, 1000);
    const auto t = intOption(parser, f.historyS, 0, 86400);
    const auto d = intOption(parser, f.seconds, 1, 3600);
    const auto c = parser.isSet(f.charts) ? intOption(parser, f.charts, 1, 64) : std::optional(0);
    if (!s || !h || !t || !d || !c)
        return usageError("bench", QStringLiteral("--series (1..64), --rate-hz (1..1000), "
                                                  "--history-s (0..86400), --charts (1..64) and "
                                                  "--seconds (1..3600) take whole numbers"));
    return runOnLoop(benchPlot({*s, double(*h), *t, *d, parser.isSet(f.naive), *c}));
}

QCoro::Task<int> benchApp(bench::AppBenchOptions options) {
    const auto result =
        co_await bench::runAppBench(QCoreApplication::applicationFilePath(), options);
    out() << result.summaryLine() << Qt::endl;
    co_return kExitOk;
}

int benchAppFromFlags(const QCommandLineParser &parser, const BenchFlags &f, const AppFlags &a) {
    const auto s = intOption(parser, f.series, 1, 64);
    const auto h = intOption(parser, f.rateHz, 1, 1000);
    const auto t = intOption(parser, f.historyS, 10, 3600);
    const auto c = parser.isSet(f.concurrency) ? intOption(parser, f.concurrency, 1, 5000)
                                               : std::optional(200);
    const auto l = intOption(parser, f.latency, 1, 60000);
    const auto n = intOption(parser, a.items, 1, 1000000);
    const auto d = intOption(parser, a.downloads, 1, 64);
    const auto mib = intOption(parser, a.downloadMib, 1, 4096);
    if (!s || !h || !t || !c || !l || !n || !d || !mib)
        return usageError("bench", QStringLiteral("--series (1..64), --rate-hz (1..1000), "
                                                  "--history-s (10..3600), --concurrency "
                                                  "(1..5000), --latency-ms (1..60000), --items "
                                                  "(1..1000000), --downloads (1..64) and "
                                                  "--download-mib (1..4096) take whole numbers"));
    return runOnLoop(benchApp({*s, double(*h), *t, *n, *c, *l, *d, *mib}));
}

QCoro::Task<int> benchIdle(bench::IdleBenchOptions options) {
    const auto result = co_await bench::runIdleBench(options);
    out() << result.summaryLine() << Qt::endl;
    co_return kExitOk;
}

int benchIdleFromFlags(const QCommandLineParser &parser, const BenchFlags &f, const IdleFlags &i) {
    const auto d = intOption(parser, f.seconds, 1, 3600);
    const auto w = intOption(parser, i.windowS, 10, 3600);
    const auto n = intOption(parser, i.sensors, 0, 256);
    const auto ms = intOption(parser, i.intervalMs, 10, 600000);
    if (!d || !w || !n || !ms)
        return usageError("bench", QStringLiteral("--seconds (1..3600), --window-s (10..3600), "
                                                  "--sensors (0..256) and --interval-ms "
                                                  "(10..600000) take whole numbers"));
    return runOnLoop(benchIdle({*d, *w, parser.isSet(i.hidden), *n, *ms}));
}

int benchDownloadFromFlags(const QCommandLineParser &parser, const BenchFlags &f) {
    const auto files = intOption(parser, f.files, 1, 64);
    const auto bytes = fetch::parseByteRate(parser.value(f.size));
    const auto runs = intOption(parser, f.runs, 1, 100);
    const QString server = parser.value(f.server);
    if (!files || !bytes || !runs)
        return usageError("bench", QStringLiteral("--files takes 1..64, --runs 1..100 and --size "
                                                  "a byte count like 256M"));
    if (server != QLatin1String("demo") && server != QLatin1String("nginx"))
        return usageError("bench", QStringLiteral("--server takes demo or nginx"));
    return runOnLoop(benchDownload(
        {*files, *bytes, parser.isSet(f.verify), *runs, server == QLatin1String("nginx")}));
}

int benchOffloadFromFlags(const QCommandLineParser &parser, const BenchFlags &f) {
    const auto ms = intOption(parser, f.jobMs, 1, 60000);
    if (!ms)
        return usageError("bench",
                          QStringLiteral("--job-ms must be a whole number from 1 to 60000"));
    return runOnLoop(benchOffload(std::chrono::milliseconds(*ms)));
}

} // namespace

int runBench(const QStringList &args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Benchmarks. 'offload': event-loop lag while a CPU job blocks the loop, then while the "
        "same job runs on the compute pool. 'fetch': a batch against 'vigil serve-demo' in another "
        "process; efficiency = ceil(n/c) x latency / wall. With --hosts N: --n items (default "
        "100000) over N demo hosts at --per-host (2) and --rate-hz per host (5), every tenth host "
        "answering 429 for 10 s mid-run: the throughput of the open hosts during the outage "
        "against what they allow, requests that came to a paused host early, and memory. 'plot': "
        "the dashboard drawing S series "
        "of H Hz with T seconds of history each, for D seconds (offscreen without a display). "
        "'download': N files of SIZE from a demo server in another process (or nginx), Vigil "
        "and curl in turns, best of --runs, both writing to tmpfs. "
        "'idle': the CPU share of the main window showing the default dashboard (or N sensors "
        "read every MS) for D seconds, and how many readings arrived of those expected. "
        "'app': the main window with S charts streaming at H Hz (T seconds of history) while a "
        "batch of --items at --concurrency (default 200) against 'vigil serve-demo' in another "
        "process and --downloads files of --download-mib from it run at once, then each alone "
        "with the charts idle; batch efficiency = ceil(items/concurrency) x latency / wall, "
        "download_mbps = all bytes / 10^6 / wall. "
        "'mqtt': --topics load topics at --rate-hz each (default 20; 0: as fast as the publisher "
        "goes) for --seconds (default 20) at --qos (default 1) through a private mosquitto, "
        "received by Vigil's engine here and by mosquitto_sub, with the CPU of each per message. "
        "'modbus': --registers adjacent holding registers (default 2000) of 'vigil serve-demo "
        "--modbus' in another process, each a sensor read every --interval-ms (default 100) for "
        "--seconds (default 10): requests per cycle against the target of one per 125, cycle "
        "p99, CPU per register read and loop lag p99. "
        "'lines': 'vigil serve-demo --serial' in another process prints --rate-hz lines (default "
        "10000) of --columns values (default 8) on a pseudo-terminal for --seconds (default 10), "
        "read by a serial line source here: lines per second, lost lines, CPU per line and loop "
        "lag p99. "
        "'polite': batches against the demo's /quota, which allows --rate-hz requests/s per "
        "client (default 10) and answers 429 beyond: a fifth of --items (default 500) with no "
        "rate, then --items with --rate auto, then --items with the limit announced, at "
        "--concurrency (default 20): requests answered 429 and the settled rate. "
        "Exit code 0: the run completed; 1: it failed (fetch: some requests failed); 2: usage "
        "error. Ctrl+C stops a run at once, with no summary line."));
    parser.addHelpOption();
    parser.addPositionalArgument(
        QStringLiteral("which"),
        QStringLiteral("offload | fetch | plot | download | idle | app | mqtt | prometheus | "
                       "modbus | lines | polite"));
    const BenchFlags flags;
    flags.addTo(parser);
    const IdleFlags idleFlags;
    idleFlags.addTo(parser);
    const AppFlags appFlags;
    appFlags.addTo(parser);
    const SourceFlags mqttFlags;
    mqttFlags.addTo(parser);
    if (const auto code = parseOrExit(parser, args, "bench"))
        return *code;
    const QStringList which = parser.positionalArguments();
    const QString name = which.size() == 1 ? which.first() : QString();
    if (name == QLatin1String("fetch"))
        return benchFetchFromFlags(parser, flags);
    if (name == QLatin1String("plot"))
        return benchPlotFromFlags(parser, flags);
    if (name == QLatin1String("download"))
        return benchDownloadFromFlags(parser, flags);
    if (name == QLatin1String("offload"))
        return benchOffloadFromFlags(parser, flags);
    if (name == QLatin1String("idle"))
        return benchIdleFromFlags(parser, flags, idleFlags);
    if (name == QLatin1String("app"))
        return benchAppFromFlags(parser, flags, appFlags);
    if (const auto code =
            benchSourceFromFlags(name, parser, {flags, appFlags, idleFlags, mqttFlags}))
        return *code;
    return usageError("bench", QStringLiteral("name one benchmark: offload, fetch, plot, download, "
                                              "idle, app, mqtt, prometheus, modbus, lines or "
                                              "polite"));
}

} // namespace vigil::cli
