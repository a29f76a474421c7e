// SPDX-License-Identifier: Apache-2.0
#include "clisupport.h"

#include "bench/appbench.h"
#include "bench/downloadbench.h"
#include "bench/fetchbench.h"
#include "bench/idlebench.h"
#include "bench/linesbench.h"
#include "bench/modbusbench.h"
#include "bench/mqttbench.h"
#include "bench/plotbench.h"
#include "bench/prombench.h"
#include "compute/offloadbench.h"
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

std::optional<int> intOption(const QCommandLineParser &parser, const QCommandLineOption &option,
                             int lo, int hi) {
    bool ok = false;
    const int v = parser.value(option).toInt(&ok);
    if (!ok || v < lo || v > hi)
        return std::nullopt;
    return v;
}
/// The flags of `vigil bench`; each benchmark reads its own.
struct BenchFlags {
    QCommandLineOption jobMs{QStringLiteral("job-ms"),
                             QStringLiteral("CPU job length in ms (default 500)."),
                             QStringLiteral("ms"), QStringLiteral("500")};
    QCommandLineOption n{QStringLiteral("n"), QStringLiteral("fetch: requests (default 5000)."),
                         QStringLiteral("N"), QStringLiteral("5000")};
    QCommandLineOption concurrency{
        QStringLiteral("concurrency"),
        QStringLiteral("fetch: requests in flight (default 100; app: 200)."), QStringLiteral("C"),
        QStringLiteral("100")};
    QCommandLineOption latency{
        QStringLiteral("latency-ms"),
        QStringLiteral("fetch, app: server latency per request (default 50)."), QStringLiteral("L"),
        QStringLiteral("50")};
    QCommandLineOption series{QStringLiteral("series"),
                              QStringLiteral("plot, app: series, one chart each (default 16)."),
                              QStringLiteral("S"), QStringLiteral("16")};
    QCommandLineOption rateHz{
        QStringLiteral("rate-hz"),
        QStringLiteral("plot, app: samples per second per series (default 50)."),
        QStringLiteral("H"), QStringLiteral("50")};
    QCommandLineOption historyS{
        QStringLiteral("history-s"),
        QStringLiteral("plot, app: seconds of history pre-filled (default 3600)."),
        QStringLiteral("T"), QStringLiteral("3600")};
    QCommandLineOption charts{
        QStringLiteral("charts"),
        QStringLiteral("plot: charts the series are shared out over (default: one per series)."),
        QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption seconds{QStringLiteral("seconds"),
                               QStringLiteral("plot: seconds to measure (default 10)."),
                               QStringLiteral("D"), QStringLiteral("10")};
    QCommandLineOption files{QStringLiteral("files"),
                             QStringLiteral("download: files (default 4)."), QStringLiteral("N"),
                             QStringLiteral("4")};
    QCommandLineOption size{QStringLiteral("size"),
                            QStringLiteral("download: size of each, e.g. 256Mi (default 256Mi)."),
                            QStringLiteral("BYTES"), QStringLiteral("256Mi")};
    QCommandLineOption verify{
        QStringLiteral("verify"),
        QStringLiteral("download: also check every SHA-256 (curl does not).")};
    QCommandLineOption runs{QStringLiteral("runs"),
                            QStringLiteral("download: runs of each client, the best counts "
                                           "(default 3)."),
                            QStringLiteral("N"), QStringLiteral("3")};
    QCommandLineOption server{QStringLiteral("server"),
                              QStringLiteral("download: demo (vigil serve-demo) or nginx "
                                             "(default demo)."),
                              QStringLiteral("NAME"), QStringLiteral("demo")};
    QCommandLineOption qtNetwork{
        QStringLiteral("qt-network"),
        QStringLiteral(
            "fetch: send through QNetworkAccessManager instead of Vigil's HTTP/1.1 pool.")};
    QCommandLineOption sharedCores{QStringLiteral("shared-cores"),
                                   QStringLiteral("fetch: let client and server share CPUs as the "
                                                  "kernel likes (by default each gets its own).")};
    QCommandLineOption naive{
        QStringLiteral("naive"),
        QStringLiteral("plot: replace full histories, undecimated, on the GUI thread.")};

    void addTo(QCommandLineParser &parser) const {
        parser.addOptions({jobMs, n, concurrency, latency, qtNetwork, sharedCores, series, rateHz,
                           historyS, charts, seconds, naive, files, size, verify, runs, server});
    }
};

int benchFetchFromFlags(const QCommandLineParser &parser, const BenchFlags &f) {
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

/// The flags only `vigil bench app` reads; it shares --series, --rate-hz, --history-s,
/// --concurrency and --latency-ms with the others.
struct AppFlags {
    QCommandLineOption items{QStringLiteral("items"),
                             QStringLiteral("app: batch items, /item/{i}?ms=L (default 10000)."),
                             QStringLiteral("N"), QStringLiteral("10000")};
    QCommandLineOption downloads{QStringLiteral("downloads"),
                                 QStringLiteral("app: files downloaded at once (default 4)."),
                                 QStringLiteral("N"), QStringLiteral("4")};
    QCommandLineOption downloadMib{QStringLiteral("download-mib"),
                                   QStringLiteral("app: MiB per file (default 256)."),
                                   QStringLiteral("MIB"), QStringLiteral("256")};

    void addTo(QCommandLineParser &parser) const {
        parser.addOptions({items, downloads, downloadMib});
    }
};

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

/// The flags only `vigil bench idle` reads.
struct IdleFlags {
    QCommandLineOption windowS{QStringLiteral("window-s"),
                               QStringLiteral("idle: the charts' time window (default 60)."),
                               QStringLiteral("W"), QStringLiteral("60")};
    QCommandLineOption hidden{QStringLiteral("hidden"),
                              QStringLiteral("idle: show another tab, so no chart is visible.")};
    QCommandLineOption sensors{
        QStringLiteral("sensors"),
        QStringLiteral("idle: N simulated sensors instead of the default dashboard."),
        QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption intervalMs{QStringLiteral("interval-ms"),
                                  QStringLiteral("idle: their read interval (default 100)."),
                                  QStringLiteral("MS"), QStringLiteral("100")};

    void addTo(QCommandLineParser &parser) const {
        parser.addOptions({windowS, hidden, sensors, intervalMs});
    }
};

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

struct SourceFlags {
    QCommandLineOption topics{QStringLiteral("topics"),
                              QStringLiteral("mqtt: load topics (default 1000)."),
                              QStringLiteral("T"), QStringLiteral("1000")};
    QCommandLineOption qos{QStringLiteral("qos"), QStringLiteral("mqtt: 0 or 1 (default 1)."),
                           QStringLiteral("Q"), QStringLiteral("1")};
    QCommandLineOption registers{QStringLiteral("registers"),
                                 QStringLiteral("modbus: adjacent registers (default 2000)."),
                                 QStringLiteral("N"), QStringLiteral("2000")};
    QCommandLineOption columns{QStringLiteral("columns"),
                               QStringLiteral("lines: values per line (default 8)."),
                               QStringLiteral("N"), QStringLiteral("8")};
    void addTo(QCommandLineParser &parser) const {
        parser.addOptions({topics, qos, registers, columns});
    }
};

/// Runs a benchmark that ends in one summary line (@p run is a plain function, not a lambda:
/// the coroutine keeps only the pointer).
template <typename Options, typename Result>
QCoro::Task<int> printSummary(QCoro::Task<Result> (*run)(Options), Options options) {
    auto running = run(std::move(options)); // bound first: GCC 12, see DESIGN.md
    const Result result = co_await running;
    out() << result.summaryLine() << Qt::endl;
    co_return kExitOk;
}

int benchLinesFromFlags(const QCommandLineParser &parser, const BenchFlags &f,
                        const SourceFlags &s) {
    bench::LinesBenchOptions o;
    o.vigilBinary = QCoreApplication::applicationFilePath();
    o.rateHz = parser.isSet(f.rateHz) ? parser.value(f.rateHz).toDouble() : 10000;
    o.columns = parser.value(s.columns).toInt();
    const auto d = intOption(parser, f.seconds, 1, 3600);
    if (!d || o.rateHz < 1 || o.rateHz > 100000 || o.columns < 1 || o.columns > 64)
        return usageError("bench", QStringLiteral("lines: --rate-hz takes 1..100000, --columns "
                                                  "1..64, --seconds 1..3600"));
    o.seconds = *d;
    return runOnLoop(printSummary(&bench::runLinesBench, o));
}

int benchModbusFromFlags(const QCommandLineParser &parser, const BenchFlags &f, const IdleFlags &i,
                         const SourceFlags &s) {
    const auto registers = intOption(parser, s.registers, 1, 65535);
    const auto ms = intOption(parser, i.intervalMs, 10, 600000);
    const auto d = intOption(parser, f.seconds, 1, 3600);
    if (!registers || !ms || !d)
        return usageError("bench", QStringLiteral("modbus: --registers takes 1..65535, "
                                                  "--interval-ms 10..600000, --seconds 1..3600"));
    return runOnLoop(
        printSummary(&bench::runModbusBench,
                     bench::ModbusBenchOptions{*registers, *ms, double(*d),
                                               QCoreApplication::applicationFilePath()}));
}

int benchMqttFromFlags(const QCommandLineParser &parser, const BenchFlags &f,
                       const SourceFlags &m) {
    bench::MqttBenchOptions o;
    o.vigilBinary = QCoreApplication::applicationFilePath();
    const auto topics = intOption(parser, m.topics, 1, 100000);
    const auto qos = intOption(parser, m.qos, 0, 1);
    bool rateOk = true, secondsOk = true;
    if (parser.isSet(f.rateHz))
        o.rateHz = parser.value(f.rateHz).toDouble(&rateOk);
    if (parser.isSet(f.seconds))
        o.seconds = parser.value(f.seconds).toDouble(&secondsOk);
    if (!topics || !qos || !rateOk || !secondsOk || o.rateHz < 0 || !(o.seconds > 0))
        return usageError("bench", QStringLiteral("mqtt: --topics takes 1..100000, --qos 0 or 1, "
                                                  "--rate-hz 0 or more (0: as fast as it goes), "
                                                  "--seconds more than 0"));
    o.topics = *topics;
    o.qos = *qos;
    return runOnLoop(printSummary(&bench::runMqttBench, o));
}
} // namespace

int runBench(const QStringList &args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Benchmarks. 'offload': event-loop lag while a CPU job blocks the loop, then while the "
        "same job runs on the compute pool. 'fetch': a batch against 'vigil serve-demo' in another "
        "process; efficiency = ceil(n/c) x latency / wall. 'plot': the dashboard drawing S series "
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
        "Exit code 0: the run completed; 1: it failed (fetch: some requests failed); 2: usage "
        "error. Ctrl+C stops a run at once, with no summary line."));
    parser.addHelpOption();
    parser.addPositionalArgument(
        QStringLiteral("which"),
        QStringLiteral("offload | fetch | plot | download | idle | app | mqtt | prometheus | "
                       "modbus | lines"));
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
    if (name == QLatin1String("mqtt"))
        return benchMqttFromFlags(parser, flags, mqttFlags);
    if (name == QLatin1String("prometheus"))
        return runOnLoop(printSummary(&bench::runPromBench, bench::PromBenchOptions{}));
    if (name == QLatin1String("lines"))
        return benchLinesFromFlags(parser, flags, mqttFlags);
    if (name == QLatin1String("modbus"))
        return benchModbusFromFlags(parser, flags, idleFlags, mqttFlags);
    return usageError("bench", QStringLiteral("name one benchmark: offload, fetch, plot, download, "
                                              "idle, app, mqtt, prometheus, modbus or lines"));
}

} // namespace vigil::cli
