// SPDX-License-Identifier: Apache-2.0
#include "demoprocess.h"

#include "async/clock.h"
#include "async/sleep.h"

#include <stdexcept>

namespace vigil::bench {

QCoro::Task<QString> startDemoProcess(QProcess &process, QString vigilBinary) {
    process.setProcessChannelMode(QProcess::SeparateChannels);
    process.start(vigilBinary, {QStringLiteral("serve-demo")});
    auto &clock = async::Clock::system();
    for (int i = 0; i < 200 && !process.canReadLine() && process.state() != QProcess::NotRunning;
         ++i)
        co_await async::sleepFor(clock, std::chrono::milliseconds(25));
    if (!process.canReadLine())
        throw std::runtime_error("the demo server did not start: " +
                                 process.readAllStandardError().toStdString());
    co_return QString::fromUtf8(process.readLine()).trimmed();
}

void stopDemoProcess(QProcess &process) {
    process.terminate();
    if (!process.waitForFinished(3000))
        process.kill();
}

} // namespace vigil::bench
