// SPDX-License-Identifier: Apache-2.0
// The benchmarks of Vigil's sources (mqtt, modbus, lines, prometheus) and of polite fetching.
#include "benchflags.h"
#include "clisupport.h"

#include "bench/linesbench.h"
#include "bench/modbusbench.h"
#include "bench/mqttbench.h"
#include "bench/politebench.h"
#include "bench/prombench.h"

#include <QCoreApplication>

namespace vigil::cli {

namespace {
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

int benchPoliteFromFlags(const QCommandLineParser &parser, const AllBenchFlags &f) {
    bench::PoliteBenchOptions o;
    o.vigilBinary = QCoreApplication::applicationFilePath();
    const auto limit = parser.isSet(f.bench.rateHz) ? intOption(parser, f.bench.rateHz, 1, 1000)
                                                    : std::optional(10);
    const auto items =
        parser.isSet(f.app.items) ? intOption(parser, f.app.items, 10, 100000) : std::optional(500);
    const auto c = parser.isSet(f.bench.concurrency)
                       ? intOption(parser, f.bench.concurrency, 1, 5000)
                       : std::optional(20);
    if (!limit || !items || !c)
        return usageError("bench", QStringLiteral("polite: --rate-hz (the server's limit) takes "
                                                  "1..1000, --items 10..100000, --concurrency "
                                                  "1..5000"));
    o.limit = *limit;
    o.items = *items;
    o.concurrency = *c;
    return runOnLoop(printSummary(&bench::runPoliteBench, o));
}
} // namespace

std::optional<int> benchSourceFromFlags(const QString &name, const QCommandLineParser &parser,
                                        const AllBenchFlags &flags) {
    if (name == QLatin1String("mqtt"))
        return benchMqttFromFlags(parser, flags.bench, flags.source);
    if (name == QLatin1String("prometheus"))
        return runOnLoop(printSummary(&bench::runPromBench, bench::PromBenchOptions{}));
    if (name == QLatin1String("lines"))
        return benchLinesFromFlags(parser, flags.bench, flags.source);
    if (name == QLatin1String("modbus"))
        return benchModbusFromFlags(parser, flags.bench, flags.idle, flags.source);
    if (name == QLatin1String("polite"))
        return benchPoliteFromFlags(parser, flags);
    return std::nullopt;
}

} // namespace vigil::cli
