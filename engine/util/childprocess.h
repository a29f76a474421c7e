// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

class QProcess;

namespace vigil::util {

/// A TCP port on 127.0.0.1 that was free a moment ago, for a child server to listen on (a
/// private nginx or mosquitto). Another process could take it in between; tests and demos
/// accept that.
[[nodiscard]] quint16 freeLoopbackPort();

/// Stops a child politely (SIGTERM), then for sure (SIGKILL) if it has not ended within 3 s.
void stopChild(QProcess &process);

} // namespace vigil::util
