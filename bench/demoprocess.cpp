// SPDX-License-Identifier: Apache-2.0
#include "demoprocess.h"

#include "async/clock.h"
#include "async/sleep.h"
#include "util/childprocess.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QThread>

#include <csignal>
#include <stdexcept>

#include <sys/prctl.h>

namespace vigil::bench {

QCoro::Task<QString> startDemoProcess(QProcess &process, QString vigilBinary, QStringList args) {
    process.setProcessChannelMode(QProcess::SeparateChannels);
    process.start(vigilBinary, QStringList{QStringLiteral("serve-demo")} + args);
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
    util::stopChild(process);
}

NginxProcess::NginxProcess(const QString &parent)
    : m_prefix(parent + QStringLiteral("/vigil-nginx-XXXXXX")) {
    QDir(m_prefix.path()).mkpath(QStringLiteral("www"));
    QDir(m_prefix.path()).mkpath(QStringLiteral("logs"));
}

NginxProcess::~NginxProcess() {
    util::stopChild(m_process);
}

QString NginxProcess::www() const {
    return m_prefix.filePath(QStringLiteral("www"));
}

QString NginxProcess::start() {
    const QString binary = QStandardPaths::findExecutable(
        QStringLiteral("nginx"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
    if (binary.isEmpty())
        throw std::runtime_error("--server nginx: nginx is not installed");
    const quint16 port = util::freeLoopbackPort();
    QFile conf(m_prefix.filePath(QStringLiteral("nginx.conf")));
    if (!m_prefix.isValid() || !conf.open(QIODevice::WriteOnly))
        throw std::runtime_error("--server nginx: cannot write its configuration");
    // The same server as the download tests' (tests/support/nginxserver.h): nginx's defaults.
    conf.write(QStringLiteral(
                   "daemon off;\nmaster_process off;\nerror_log %1/logs/error.log;\n"
                   "pid %1/nginx.pid;\nevents { worker_connections 64; }\n"
                   "http { access_log off; client_body_temp_path %1/body; proxy_temp_path "
                   "%1/proxy;\n  fastcgi_temp_path %1/fcgi; uwsgi_temp_path %1/uwsgi; "
                   "scgi_temp_path %1/scgi;\n  server { listen 127.0.0.1:%2; root %1/www; } }\n")
                   .arg(m_prefix.path())
                   .arg(port)
                   .toUtf8());
    conf.close();
    // A bench stopped by a signal skips its destructors: nginx must not outlive it.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process.start(binary,
                    {QStringLiteral("-p"), m_prefix.path(), QStringLiteral("-c"), conf.fileName()});
    if (!m_process.waitForStarted(5000))
        throw std::runtime_error("--server nginx: nginx did not start");
    for (int i = 0; i < 250 && m_process.state() == QProcess::Running; ++i) {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, port);
        if (s.waitForConnected(100))
            return QStringLiteral("http://127.0.0.1:%1").arg(port);
        QThread::msleep(20);
    }
    throw std::runtime_error("--server nginx: nginx did not accept connections: " +
                             m_process.readAllStandardError().toStdString());
}

} // namespace vigil::bench
