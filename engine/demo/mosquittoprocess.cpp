// SPDX-License-Identifier: Apache-2.0
#include "mosquittoprocess.h"

#include "async/clock.h"
#include "async/sleep.h"
#include "util/childprocess.h"

#include <QFile>
#include <QStandardPaths>
#include <QTcpSocket>

namespace vigil::demo {

MosquittoProcess::MosquittoProcess(Options options)
    : m_options(std::move(options))
    , m_port(util::freeLoopbackPort()) {}

MosquittoProcess::~MosquittoProcess() {
    stop();
}

QString MosquittoProcess::binary() {
    return QStandardPaths::findExecutable(
        QStringLiteral("mosquitto"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
}

QString MosquittoProcess::missingMessage() {
    return QStringLiteral("mosquitto is not installed: sudo apt-get install mosquitto "
                          "mosquitto-clients");
}

QString MosquittoProcess::url(const QString &scheme) const {
    return QStringLiteral("%1://127.0.0.1:%2").arg(scheme).arg(m_port);
}

bool MosquittoProcess::writeConfig() {
    QFile conf(m_dir.filePath(QStringLiteral("mosquitto.conf")));
    if (!m_dir.isValid() || !conf.open(QIODevice::WriteOnly)) {
        m_error = QStringLiteral("cannot write a mosquitto config in %1").arg(m_dir.path());
        return false;
    }
    // Errors and warnings only; no persistence: a demo broker starts empty every time.
    QString text = QStringLiteral("listener %1 127.0.0.1\npersistence false\nlog_dest stderr\n"
                                  "log_type error\nlog_type warning\nmax_queued_messages 100000\n")
                       .arg(m_port);
    if (m_options.passwordFile.isEmpty())
        text += QStringLiteral("allow_anonymous true\n");
    else
        text +=
            QStringLiteral("allow_anonymous false\npassword_file %1\n").arg(m_options.passwordFile);
    if (!m_options.certFile.isEmpty())
        text +=
            QStringLiteral("certfile %1\nkeyfile %2\n").arg(m_options.certFile, m_options.keyFile);
    conf.write(text.toUtf8());
    return true;
}

QCoro::Task<bool> MosquittoProcess::start() {
    if (binary().isEmpty()) {
        m_error = missingMessage();
        co_return false;
    }
    if (!writeConfig())
        co_return false;
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(binary(),
                    {QStringLiteral("-c"), m_dir.filePath(QStringLiteral("mosquitto.conf"))});
    auto &clock = async::Clock::system();
    // Until it accepts a connection: a probe is tried every 20 ms, and a refused one anew.
    QTcpSocket probe;
    for (int i = 0; i < 250 && m_process.state() != QProcess::NotRunning; ++i) {
        if (probe.state() == QAbstractSocket::UnconnectedState)
            probe.connectToHost(QHostAddress::LocalHost, m_port);
        co_await async::sleepFor(clock, std::chrono::milliseconds(20));
        if (probe.state() == QAbstractSocket::ConnectedState) {
            m_running = true;
            co_return true;
        }
    }
    m_error = QStringLiteral("mosquitto did not start on 127.0.0.1:%1").arg(m_port);
    kill();
    co_return false;
}

void MosquittoProcess::kill() {
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
    m_running = false;
}

void MosquittoProcess::stop() {
    util::stopChild(m_process);
    m_running = false;
}

} // namespace vigil::demo
