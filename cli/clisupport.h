// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QStringList>
#include <QTextStream>

#include <optional>

class QCommandLineParser;

namespace vigil::cli {

// Exit codes shared by every subcommand (README, "CLI").
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
/// Stopped by Ctrl+C (128 + SIGINT, the shell's convention); finished work is kept.
constexpr int kExitInterrupted = 130;

QTextStream &out();
QTextStream &err();

/// Parses @p args for @p command. Returns an exit code when the run ends here (a usage error, or
/// --help printed), nullopt when the command should go on.
[[nodiscard]] std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &args,
                                             const char *command);

/// @p parser's help with "Usage: vigil COMMAND" in place of the binary's path.
[[nodiscard]] QString helpText(const QCommandLineParser &parser, const char *command);

/// Prints "vigil COMMAND: MESSAGE" to stderr and returns kExitUsage.
int usageError(const char *command, const QString &message);

/// Runs a command coroutine to completion on the application's event loop; an exception it
/// throws is printed and gives kExitFailed. After a Ctrl+C seen by onInterrupt() the code is
/// kExitInterrupted, whatever the task returns: the run did not do all it was asked.
int runOnLoop(QCoro::Task<int> task);

/// True when progress may be drawn: stderr is a terminal.
[[nodiscard]] bool stderrIsTerminal();

/// Calls @p onInterrupt (once) on the event loop when the user presses Ctrl+C; a second Ctrl+C
/// kills the process as usual.
void onInterrupt(std::function<void()> onInterrupt);

/// For commands whose normal end is Ctrl+C (record): runOnLoop() then returns the task's code.
void acceptInterruptAsEnd();
/// True once onInterrupt()'s callback has run for a Ctrl+C.
[[nodiscard]] bool wasInterrupted();
int runBench(const QStringList &args);
int runRecord(const QStringList &args);
int runServeDemo(const QStringList &args);
int runFetch(const QStringList &args);
int runDownload(const QStringList &args);
int runJournal(const QStringList &args);

} // namespace vigil::cli
