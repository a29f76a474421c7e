// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "asynctest.h"

#include "demo/mosquittoprocess.h"

#include <QProcess>

namespace vigil::test {

/// The engine's private mosquitto (demo::MosquittoProcess), started at construction, plus a
/// publisher through mosquitto_pub for the tests.
class MosquittoBroker : public demo::MosquittoProcess {
public:
    explicit MosquittoBroker(Options options = {})
        : MosquittoProcess(std::move(options)) {
        start();
    }
    /// Starts (again, after kill(): on the same port) and waits until it accepts connections.
    bool start() {
        auto starting = MosquittoProcess::start();
        const auto outcome = drive(std::move(starting));
        return outcome.isOk() && outcome.value();
    }
    /// Publishes with mosquitto_pub; true when it exited 0.
    bool publish(const QString &topic, const QByteArray &payload, bool retain = false,
                 int qos = 0) const {
        QStringList args{
            QStringLiteral("-h"),    QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
            QString::number(port()), QStringLiteral("-t"),        topic,
            QStringLiteral("-q"),    QString::number(qos),        QStringLiteral("-s")};
        if (retain)
            args << QStringLiteral("-r");
        QProcess pub;
        pub.start(QStringLiteral("mosquitto_pub"), args);
        pub.write(payload);
        pub.closeWriteChannel();
        return pub.waitForFinished(10000) && pub.exitCode() == 0;
    }
};

} // namespace vigil::test
