// SPDX-License-Identifier: Apache-2.0
#include "commandline.h"

#include "clisupport.h"

#include "util/logging.h"

#include <QApplication>
#include <QCoreApplication>

#include <cstdio>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace vigil::cli {

namespace {
struct Command {
    const char *name;
    const char *summary;
    std::function<int(const QStringList &args)> run;
};

const std::vector<Command> &commands() {
    static const std::vector<Command> table = {
        {"fetch", "fetch a batch of URLs concurrently, politely, resumably", runFetch},
        {"download", "download files to disk: resumable, verified, atomic", runDownload},
        {"serve-demo", "serve the demo HTTP API on 127.0.0.1", runServeDemo},
        {"journal", "merge the journals of a sharded batch", runJournal},
        {"record", "record a dashboard's sources to CSV, with no display", runRecord},
        {"bench", "run a benchmark and print one summary line", runBench},
    };
    return table;
}

QString optionLine(const QCommandLineOption &o) {
    QStringList names;
    for (const QString &n : o.names())
        names << (n.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + n;
    QString left = names.join(QStringLiteral(", "));
    if (!o.valueName().isEmpty())
        left += u' ' + o.valueName();
    return QStringLiteral("  %1  %2\n").arg(left, -22).arg(o.description());
}
} // namespace

QString usage(const QList<QCommandLineOption> &guiOptions) {
    QString text =
        QStringLiteral("Usage: vigil [options]              open the dashboard (GUI)\n"
                       "       vigil <command> [options]    run headless, no display needed\n"
                       "       vigil --version | --help\n\nOptions (GUI):\n");
    for (const auto &o : guiOptions)
        text += optionLine(o);
    text += QStringLiteral("\n--verbose (anywhere, also with a command) logs retries, host pauses, "
                           "redirects\nand timeouts to stderr, by component (vigil.net, "
                           "vigil.fetch, ...).\n\nCommands:\n");
    for (const auto &c : commands())
        text += QStringLiteral("  %1  %2\n")
                    .arg(QLatin1String(c.name), -12)
                    .arg(QLatin1String(c.summary));
    text += QStringLiteral(
        "\nRun 'vigil <command> --help' for a command's options. Exit codes: 0 ok; 1 some work "
        "failed;\n2 usage error; 130 interrupted by Ctrl+C (fetch, download; finished work is "
        "kept).\nSee vigil(1).\n");
    return text;
}

namespace {
bool isVerboseFlag(std::string_view arg) {
    return arg == "--verbose" || arg == "-v";
}

/// True when GUI arguments (from @p at on) ask for help: answered here, so no display is needed.
bool wantsHelp(int argc, char **argv, int at) {
    if (!std::string_view(argv[at]).starts_with('-'))
        return false;
    for (int i = at; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--")
            break;
        if (arg == "--help" || arg == "-h")
            return true;
    }
    return false;
}

/// Runs command @p c with the arguments after its name (`--verbose` anywhere switches on the
/// vigil.* logging categories and is not passed on).
int runCommand(const Command &c, int argc, char **argv, int commandAt) {
    // `bench plot`, `bench idle` and `bench app` drive the real dashboard widgets: it needs a
    // QApplication, offscreen when there is no display. Everything else stays on a
    // QCoreApplication.
    const bool widgets = std::string_view(c.name) == "bench" && argc > commandAt + 1 &&
                         (std::string_view(argv[commandAt + 1]) == "plot" ||
                          std::string_view(argv[commandAt + 1]) == "idle" ||
                          std::string_view(argv[commandAt + 1]) == "app");
    if (widgets && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> app(widgets ? new QApplication(argc, argv)
                                                  : new QCoreApplication(argc, argv));
    QCoreApplication::setApplicationName(QStringLiteral("vigil"));
    QCoreApplication::setApplicationVersion(QStringLiteral(VIGIL_VERSION));
    QStringList args = QCoreApplication::arguments();
    args.removeAt(commandAt); // the command name; QCommandLineParser wants argv[0] first
    if (util::takeVerboseFlag(args))
        util::enableVerboseLogging();
    return c.run(args);
}
} // namespace

std::optional<int> runHeadlessIfRequested(int argc, char **argv,
                                          const QList<QCommandLineOption> &guiOptions) {
    int at = 1;
    while (at < argc && isVerboseFlag(argv[at]))
        ++at;
    if (at >= argc)
        return std::nullopt;
    const std::string_view first = argv[at];
    if (first == "--version" || first == "-V" || first == "version") {
        std::printf("vigil %s\n", VIGIL_VERSION);
        return kExitOk;
    }
    if (first == "help" || wantsHelp(argc, argv, at)) {
        std::fputs(usage(guiOptions).toUtf8().constData(), stdout);
        return kExitOk;
    }
    for (const auto &c : commands()) {
        if (first == c.name)
            return runCommand(c, argc, argv, at);
    }
    if (!first.starts_with('-')) {
        std::fprintf(stderr, "vigil: unknown command '%s'\n\n%s", argv[at],
                     usage(guiOptions).toUtf8().constData());
        return kExitUsage;
    }
    return std::nullopt;
}

} // namespace vigil::cli
