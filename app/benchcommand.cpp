#include "clisupport.h"

#include "bench/downloadbench.h"
#include "bench/fetchbench.h"
#include "bench/offloadbench.h"
#include "fetch/downloadnames.h"
#include "plotbench.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace vigil::app {

namespace {
QCoro::Task<int> benchOffload(std::chrono::milliseconds job) {
    const auto result = co_await bench::runOffloadBench(job);
    out() << result.summaryLine() << Qt::endl;
    co_return kExitOk;
}
QCoro::Task<int> benchFetch(int n, int c, int latencyMs, bool qtNetwork, bool separateCores) {
    const auto result = co_await bench::runFetchBench(QCoreApplication::applicationFilePath(), n, c,
                                                      latencyMs, qtNetwork, separateCores);
    out() << result.summaryLine() << Qt::endl;
    co_return result.ok == n ? kExitOk : kExitFailed;
}

QCoro::Task<int> benchDownload(int files, qint64 size, bool verify) {
    const auto result = co_await bench::runDownloadBench(QCoreApplication::applicationFilePath(),
                                                         files, size, verify);
    out() << result.summaryLine() << Qt::endl;
    co_return kExitOk;
}

QCoro::Task<int> benchPlot(widgets::PlotBenchOptions options) {
    const auto result = co_await widgets::runPlotBench(options);
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
} // namespace

int runBench(const QStringList &args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Benchmarks. 'offload': event-loop lag while a CPU job blocks the loop, then while the "
        "same job runs on the compute pool. 'fetch': a batch against 'vigil serve-demo' in another "
        "process; efficiency = ceil(n/c) x latency / wall. 'plot': the dashboard drawing S series "
        "of H Hz with T seconds of history each, for D seconds (offscreen without a display). "
        "'download': N files of SIZE from a demo server in another process, Vigil then curl."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("which"),
                                 QStringLiteral("offload | fetch | plot | download"));
    QCommandLineOption jobMs(QStringLiteral("job-ms"),
                             QStringLiteral("CPU job length in ms (default 500)."),
                             QStringLiteral("ms"), QStringLiteral("500"));
    QCommandLineOption n(QStringLiteral("n"), QStringLiteral("fetch: requests (default 5000)."),
                         QStringLiteral("N"), QStringLiteral("5000"));
    QCommandLineOption concurrency(QStringLiteral("concurrency"),
                                   QStringLiteral("fetch: requests in flight (default 100)."),
                                   QStringLiteral("C"), QStringLiteral("100"));
    QCommandLineOption latency(QStringLiteral("latency-ms"),
                               QStringLiteral("fetch: server latency per request (default 50)."),
                               QStringLiteral("L"), QStringLiteral("50"));
    QCommandLineOption series(QStringLiteral("series"),
                              QStringLiteral("plot: series, one chart each (default 16)."),
                              QStringLiteral("S"), QStringLiteral("16"));
    QCommandLineOption rateHz(QStringLiteral("rate-hz"),
                              QStringLiteral("plot: samples per second per series (default 50)."),
                              QStringLiteral("H"), QStringLiteral("50"));
    QCommandLineOption historyS(
        QStringLiteral("history-s"),
        QStringLiteral("plot: seconds of history pre-filled (default 3600)."), QStringLiteral("T"),
        QStringLiteral("3600"));
    QCommandLineOption seconds(QStringLiteral("seconds"),
                               QStringLiteral("plot: seconds to measure (default 10)."),
                               QStringLiteral("D"), QStringLiteral("10"));
    QCommandLineOption files(QStringLiteral("files"),
                             QStringLiteral("download: files (default 4)."), QStringLiteral("N"),
                             QStringLiteral("4"));
    QCommandLineOption size(QStringLiteral("size"),
                            QStringLiteral("download: size of each, e.g. 256M (default 256M)."),
                            QStringLiteral("BYTES"), QStringLiteral("256M"));
    QCommandLineOption verify(
        QStringLiteral("verify"),
        QStringLiteral("download: also check every SHA-256 (curl does not)."));
    QCommandLineOption qtNetwork(
        QStringLiteral("qt-network"),
        QStringLiteral(
            "fetch: send through QNetworkAccessManager instead of Vigil's HTTP/1.1 pool."));
    QCommandLineOption sharedCores(QStringLiteral("shared-cores"),
                                   QStringLiteral("fetch: let client and server share CPUs as the "
                                                  "kernel likes (by default each gets its own)."));
    QCommandLineOption naive(
        QStringLiteral("naive"),
        QStringLiteral("plot: replace full histories, undecimated, on the GUI thread."));
    parser.addOptions({jobMs, n, concurrency, latency, qtNetwork, sharedCores, series, rateHz,
                       historyS, seconds, naive, files, size, verify});
    if (const auto code = parseOrExit(parser, args, "bench"))
        return *code;
    const QStringList which = parser.positionalArguments();
    if (which.size() == 1 && which.first() == QLatin1String("fetch")) {
        const auto nValue = intOption(parser, n, 1, 10000000);
        const auto cValue = intOption(parser, concurrency, 1, 5000);
        const auto lValue = intOption(parser, latency, 0, 60000);
        if (!nValue || !cValue || !lValue)
            return usageError("bench",
                              QStringLiteral("--n (1..10000000), --concurrency (1..5000) and "
                                             "--latency-ms (0..60000) take whole numbers"));
        return runOnLoop(benchFetch(*nValue, *cValue, *lValue, parser.isSet(qtNetwork),
                                    !parser.isSet(sharedCores)));
    }
    if (which.size() == 1 && which.first() == QLatin1String("plot")) {
        const auto s = intOption(parser, series, 1, 64);
        const auto h = intOption(parser, rateHz, 1, 1000);
        const auto t = intOption(parser, historyS, 0, 86400);
        const auto d = intOption(parser, seconds, 1, 3600);
        if (!s || !h || !t || !d)
            return usageError(
                "bench", QStringLiteral("--series (1..64), --rate-hz (1..1000), --history-s "
                                        "(0..86400) and --seconds (1..3600) take whole numbers"));
        return runOnLoop(benchPlot({*s, double(*h), *t, *d, parser.isSet(naive)}));
    }
    if (which.size() == 1 && which.first() == QLatin1String("download")) {
        const auto f = intOption(parser, files, 1, 64);
        const auto bytes = fetch::parseByteRate(parser.value(size));
        if (!f || !bytes)
            return usageError(
                "bench", QStringLiteral("--files takes 1..64 and --size a byte count like 256M"));
        return runOnLoop(benchDownload(*f, *bytes, parser.isSet(verify)));
    }
    if (which.size() != 1 || which.first() != QLatin1String("offload"))
        return usageError("bench",
                          QStringLiteral("name one benchmark: offload, fetch, plot or download"));
    bool ok = false;
    const int ms = parser.value(jobMs).toInt(&ok);
    if (!ok || ms < 1 || ms > 60000)
        return usageError("bench",
                          QStringLiteral("--job-ms must be a whole number from 1 to 60000"));
    return runOnLoop(benchOffload(std::chrono::milliseconds(ms)));
}

} // namespace vigil::app
