#pragma once

#include <optional>

namespace vigil::cli {

/// Handles `--version`, `--help` and the headless subcommands on a QCoreApplication, so none of
/// them needs a display. Returns the exit code, or nullopt when the arguments ask for the GUI.
[[nodiscard]] std::optional<int> runHeadlessIfRequested(int argc, char **argv);

} // namespace vigil::cli
