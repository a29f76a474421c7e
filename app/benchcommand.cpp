#include "clisupport.h"

#include "bench/offloadbench.h"

#include <QCommandLineParser>

namespace vigil::app {

namespace {
QCoro::Task<int> benchOffload(std::chrono::milliseconds job)
{
    const auto result = co_await bench::runOffloadBench(job);
    out() << result.summaryLine() << Qt::endl;
    co_return kExitOk;
}
} // namespace

int runBench(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Benchmarks. 'offload': event-loop lag while a CPU job blocks the loop, then while the "
        "same job runs on the compute pool."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("which"), QStringLiteral("offload"));
    QCommandLineOption jobMs(QStringLiteral("job-ms"),
                             QStringLiteral("CPU job length in ms (default 500)."),
                             QStringLiteral("ms"), QStringLiteral("500"));
    parser.addOption(jobMs);
    if (const auto code = parseOrExit(parser, args, "bench"))
        return *code;
    const QStringList which = parser.positionalArguments();
    if (which.size() != 1 || which.first() != QLatin1String("offload"))
        return usageError("bench", QStringLiteral("name one benchmark: offload"));
    bool ok = false;
    const int ms = parser.value(jobMs).toInt(&ok);
    if (!ok || ms < 1 || ms > 60000)
        return usageError("bench", QStringLiteral("--job-ms must be a whole number from 1 to 60000"));
    return runOnLoop(benchOffload(std::chrono::milliseconds(ms)));
}

} // namespace vigil::app
