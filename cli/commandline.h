// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCommandLineOption>
#include <QList>

#include <optional>

namespace vigil::cli {

/// Handles `--version`, `--help` and the headless subcommands on a QCoreApplication, so none of
/// them needs a display. Returns the exit code, or nullopt when the arguments ask for the GUI.
/// @p guiOptions are the dashboard's own options, listed by `vigil --help`.
[[nodiscard]] std::optional<int>
runHeadlessIfRequested(int argc, char **argv, const QList<QCommandLineOption> &guiOptions);

/// The top-level help: the GUI's options, then the commands.
[[nodiscard]] QString usage(const QList<QCommandLineOption> &guiOptions);

} // namespace vigil::cli
