// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QProcess>
#include <QString>

namespace vigil::bench {

/// Starts `@p vigilBinary serve-demo` in @p process and returns the URL it prints first, so a
/// benchmark's server never shares a CPU-bound event loop with the client it measures. Throws
/// std::runtime_error if it does not start within 5 s.
[[nodiscard]] QCoro::Task<QString> startDemoProcess(QProcess &process, QString vigilBinary);

/// Stops the server started by startDemoProcess.
void stopDemoProcess(QProcess &process);

} // namespace vigil::bench
