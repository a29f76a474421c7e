#include "commandline.h"

#include "async/settle.h"
#include "bench/offloadbench.h"
#include "demo/demoserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>
#include <functional>
#include <string_view>

namespace vigil::app {

namespace {

// Exit codes shared by every subcommand (README, "CLI").
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

struct Command {
    const char *name;
    const char *summary;
    std::function<int(const QStringList &args)> run;
};

/// Parses @p args for @p command. Returns an exit code when the run ends here (a usage error, or
/// --help printed), nullopt when the command should go on.
std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &args,
                               const char *command)
{
    if (!parser.parse(args)) {
        err() << "vigil " << command << ": " << parser.errorText() << Qt::endl;
        return kExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        return kExitOk;
    }
    return std::nullopt;
}

/// Runs a command coroutine to completion on the application's event loop.
int runOnLoop(QCoro::Task<int> task)
{
    int code = kExitFailed;
    bool done = false;
    std::function<void(async::Outcome<int>)> finish = [&](async::Outcome<int> outcome) {
        done = true;
        if (outcome.isOk()) {
            code = outcome.value();
        } else {
            err() << "vigil: " << outcome.errorMessage() << Qt::endl;
            code = kExitFailed;
        }
        QCoreApplication::exit(code);
    };
    auto watcher = async::observe(std::move(task), finish);
    if (!done)
        QCoreApplication::exec();
    return code;
}

QCoro::Task<int> benchOffload(std::chrono::milliseconds job)
{
    const auto result = co_await bench::runOffloadBench(job);
    out() << result.summaryLine() << Qt::endl;
    co_return kExitOk;
}

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
    if (which.size() != 1 || which.first() != QLatin1String("offload")) {
        err() << "vigil bench: name one benchmark: offload" << Qt::endl;
        return kExitUsage;
    }
    bool ok = false;
    const int ms = parser.value(jobMs).toInt(&ok);
    if (!ok || ms < 1 || ms > 60000) {
        err() << "vigil bench: --job-ms must be a whole number from 1 to 60000" << Qt::endl;
        return kExitUsage;
    }
    return runOnLoop(benchOffload(std::chrono::milliseconds(ms)));
}

int runServeDemo(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Serve the demo HTTP API on 127.0.0.1 until interrupted. Port 0 picks a free port; the "
        "first line printed is the URL."));
    parser.addHelpOption();
    QCommandLineOption port(QStringLiteral("port"), QStringLiteral("TCP port (default 0: any free)."),
                            QStringLiteral("N"), QStringLiteral("0"));
    QCommandLineOption seed(QStringLiteral("seed"),
                            QStringLiteral("Seed for the fault endpoints (default 1)."),
                            QStringLiteral("S"), QStringLiteral("1"));
    parser.addOptions({port, seed});
    if (const auto code = parseOrExit(parser, args, "serve-demo"))
        return *code;
    bool portOk = false, seedOk = false;
    const uint portValue = parser.value(port).toUInt(&portOk);
    const uint seedValue = parser.value(seed).toUInt(&seedOk);
    if (!portOk || portValue > 65535) {
        err() << "vigil serve-demo: --port must be a whole number from 0 to 65535" << Qt::endl;
        return kExitUsage;
    }
    if (!seedOk) {
        err() << "vigil serve-demo: --seed must be a whole number" << Qt::endl;
        return kExitUsage;
    }
    demo::DemoServer server(seedValue);
    if (!server.listen(quint16(portValue))) {
        err() << "vigil serve-demo: " << server.errorString() << Qt::endl;
        return kExitFailed;
    }
    out() << server.baseUrl().toString() << Qt::endl;
    err() << "Vigil demo API on " << server.baseUrl().toString()
          << " (loopback only). Endpoints: /item/{id}?ms=&fail=  /compound/{name}  /kinetics/{id}  "
             "/sensors  /sensors/{name}  /bytes/{n}  /limited/{id}?rps=  /flaky/{id}?p=  /hang  "
             "/slowbody  /redirect-loop  /huge  /bad-json  /stats. Ctrl+C stops it."
          << Qt::endl;
    return QCoreApplication::exec();
}

const std::vector<Command> &commands()
{
    static const std::vector<Command> table = {
        {"bench", "run a benchmark and print one summary line", runBench},
        {"serve-demo", "serve the demo HTTP API on 127.0.0.1", runServeDemo},
    };
    return table;
}

QString usage()
{
    QString text = QStringLiteral("Usage: vigil                        open the dashboard (GUI)\n"
                                  "       vigil <command> [options]    run headless, no display needed\n"
                                  "       vigil --version | --help\n\nCommands:\n");
    for (const auto &c : commands())
        text += QStringLiteral("  %1  %2\n").arg(QLatin1String(c.name), -12).arg(QLatin1String(c.summary));
    text += QStringLiteral("\nRun 'vigil <command> --help' for a command's options.\n");
    return text;
}

} // namespace

std::optional<int> runHeadlessIfRequested(int argc, char **argv)
{
    if (argc < 2)
        return std::nullopt;
    const std::string_view first = argv[1];
    if (first == "--version" || first == "-V" || first == "version") {
        std::printf("vigil %s\n", VIGIL_VERSION);
        return kExitOk;
    }
    if (first == "--help" || first == "-h" || first == "help") {
        std::fputs(usage().toUtf8().constData(), stdout);
        return kExitOk;
    }
    for (const auto &c : commands()) {
        if (first == c.name) {
            QCoreApplication app(argc, argv);
            QCoreApplication::setApplicationName(QStringLiteral("vigil"));
            QCoreApplication::setApplicationVersion(QStringLiteral(VIGIL_VERSION));
            QStringList args = QCoreApplication::arguments();
            args.removeAt(1); // the command name; QCommandLineParser wants argv[0] first
            return c.run(args);
        }
    }
    if (!first.starts_with('-')) {
        std::fprintf(stderr, "vigil: unknown command '%s'\n\n%s", argv[1],
                     usage().toUtf8().constData());
        return kExitUsage;
    }
    return std::nullopt;
}

} // namespace vigil::app
