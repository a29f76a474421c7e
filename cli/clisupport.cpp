// SPDX-License-Identifier: Apache-2.0
#include "clisupport.h"

#include "async/settle.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <unistd.h>

namespace vigil::cli {

namespace {
std::atomic<bool> g_interrupted{false};
bool g_sawInterrupt = false;  // event-loop thread only
bool g_interruptEnds = false; // Ctrl+C is the command's normal end

extern "C" void handleSigint(int) {
    g_interrupted = true;
    std::signal(SIGINT, SIG_DFL); // a second Ctrl+C ends the process at once
}
} // namespace

QTextStream &out() {
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err() {
    static QTextStream stream(stderr);
    return stream;
}

std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &args,
                               const char *command) {
    if (!parser.parse(args))
        return usageError(command, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        out() << helpText(parser, command);
        return kExitOk;
    }
    return std::nullopt;
}

QString helpText(const QCommandLineParser &parser, const char *command) {
    // Qt names the program by argv[0], which is a path ("/usr/bin/vigil") and lacks the command.
    QString text = parser.helpText();
    const QString qtUsage = QStringLiteral("Usage: ") + QCoreApplication::arguments().value(0);
    if (text.startsWith(qtUsage))
        text.replace(0, qtUsage.size(),
                     QStringLiteral("Usage: vigil %1").arg(QLatin1String(command)));
    return text;
}

int usageError(const char *command, const QString &message) {
    err() << "vigil " << command << ": " << message << Qt::endl;
    return kExitUsage;
}

int runOnLoop(QCoro::Task<int> task) {
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
    // What the task's objects left to deleteLater() (closed sockets) goes now, not never.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return g_sawInterrupt && !g_interruptEnds ? kExitInterrupted : code;
}

void acceptInterruptAsEnd() {
    g_interruptEnds = true;
}

bool wasInterrupted() {
    return g_sawInterrupt;
}

bool stderrIsTerminal() {
    return ::isatty(STDERR_FILENO) == 1;
}

void onInterrupt(std::function<void()> callback) {
    std::signal(SIGINT, handleSigint);
    // Signal handlers may only set a flag; the event loop polls it and does the real work.
    auto *poll = new QTimer(QCoreApplication::instance());
    QObject::connect(poll, &QTimer::timeout, poll, [poll, callback = std::move(callback)] {
        if (g_interrupted.exchange(false)) {
            poll->stop();
            g_sawInterrupt = true;
            callback();
        }
    });
    poll->start(100);
}

} // namespace vigil::cli
