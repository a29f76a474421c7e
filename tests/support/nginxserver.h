// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/childprocess.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>

namespace vigil::test {

/// A private nginx on 127.0.0.1 serving a temporary folder: a real server's Range, ETag and
/// If-Range behaviour for the download tests. @p serverConfig goes inside its server block (a
/// location that proxies, say). isRunning() is false if nginx is not installed.
class NginxServer {
public:
    explicit NginxServer(const QString &serverConfig = {}) {
        const QString binary = QStandardPaths::findExecutable(
            QStringLiteral("nginx"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
        if (binary.isEmpty() || !m_prefix.isValid())
            return;
        m_port = util::freeLoopbackPort();
        QDir(m_prefix.path()).mkpath(QStringLiteral("www"));
        QDir(m_prefix.path()).mkpath(QStringLiteral("logs"));
        QFile conf(m_prefix.filePath(QStringLiteral("nginx.conf")));
        if (!conf.open(QIODevice::WriteOnly))
            return;
        conf.write(
            QStringLiteral(
                "daemon off;\nmaster_process off;\nerror_log %1/logs/error.log;\npid "
                "%1/nginx.pid;\n"
                "events { worker_connections 64; }\n"
                "http { access_log off; client_body_temp_path %1/body; proxy_temp_path %1/proxy;\n"
                "  fastcgi_temp_path %1/fcgi; uwsgi_temp_path %1/uwsgi; scgi_temp_path %1/scgi;\n"
                "  server { listen 127.0.0.1:%2; root %1/www; %3 } }\n")
                .arg(m_prefix.path())
                .arg(m_port)
                .arg(serverConfig)
                .toUtf8());
        conf.close();
        m_process.start(
            binary, {QStringLiteral("-p"), m_prefix.path(), QStringLiteral("-c"), conf.fileName()});
        if (!m_process.waitForStarted(5000))
            return;
        for (int i = 0; i < 100; ++i) { // until it accepts connections
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, m_port);
            if (s.waitForConnected(100)) {
                m_running = true;
                return;
            }
            QThread::msleep(20);
        }
    }
    NginxServer(const NginxServer &) = delete;
    NginxServer &operator=(const NginxServer &) = delete;
    ~NginxServer() { util::stopChild(m_process); }

    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] QString root() const { return m_prefix.filePath(QStringLiteral("www")); }
    [[nodiscard]] QUrl url(const QString &file) const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/%2").arg(m_port).arg(file));
    }

private:
    QTemporaryDir m_prefix;
    QProcess m_process;
    quint16 m_port = 0;
    bool m_running = false;
};

} // namespace vigil::test
