// SPDX-License-Identifier: Apache-2.0
#include "childprocess.h"

#include <QProcess>
#include <QTcpServer>

namespace vigil::util {

quint16 freeLoopbackPort() {
    QTcpServer probe; // given back at once, for the child to take
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

void stopChild(QProcess &process) {
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(3000))
        process.kill();
    process.waitForFinished(1000);
}

} // namespace vigil::util
