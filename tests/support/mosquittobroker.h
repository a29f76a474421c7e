// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

namespace vigil::test {

/// A private mosquitto on 127.0.0.1 and a free port, with a temporary config: the real broker
/// the MQTT tests talk to. kill() is a SIGKILL; start() again brings it back on the same port.
/// isRunning() is false if mosquitto is not installed.
class MosquittoBroker {
public:
    struct Options {
        QString passwordFile;              ///< set: anonymous clients are refused
        QString certFile, keyFile, caFile; ///< set: the listener speaks TLS
    };

    explicit MosquittoBroker(Options options = {})
        : m_options(std::move(options)) {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        m_port = probe.serverPort();
        probe.close();
        start();
    }
    MosquittoBroker(const MosquittoBroker &) = delete;
    MosquittoBroker &operator=(const MosquittoBroker &) = delete;
    ~MosquittoBroker() { kill(); }

    static QString binary() {
        return QStandardPaths::findExecutable(
            QStringLiteral("mosquitto"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
    }

    bool start() {
        if (binary().isEmpty() || !m_dir.isValid())
            return false;
        QFile conf(m_dir.filePath(QStringLiteral("mosquitto.conf")));
        if (!conf.open(QIODevice::WriteOnly))
            return false;
        QString text = QStringLiteral("listener %1 127.0.0.1\npersistence false\n"
                                      "log_dest stderr\nlog_type error\nlog_type warning\n"
                                      "max_queued_messages 100000\n")
                           .arg(m_port);
        if (m_options.passwordFile.isEmpty())
            text += QStringLiteral("allow_anonymous true\n"); // 2.0 refuses them by default
        else
            text += QStringLiteral("allow_anonymous false\npassword_file %1\n")
                        .arg(m_options.passwordFile);
        if (!m_options.certFile.isEmpty())
            text += QStringLiteral("certfile %1\nkeyfile %2\n")
                        .arg(m_options.certFile, m_options.keyFile);
        conf.write(text.toUtf8());
        conf.close();
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(binary(), {QStringLiteral("-c"), conf.fileName()});
        if (!m_process.waitForStarted(5000))
            return false;
        for (int i = 0; i < 200; ++i) { // until it accepts connections
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, m_port);
            if (s.waitForConnected(100))
                return m_running = true;
            QThread::msleep(20);
        }
        return false;
    }
    /// SIGKILL: no goodbye to any client, as a crash or a pulled plug.
    void kill() {
        m_process.kill();
        m_process.waitForFinished(3000);
        m_running = false;
    }

    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString url(const QString &scheme = QStringLiteral("mqtt")) const {
        return QStringLiteral("%1://127.0.0.1:%2").arg(scheme).arg(m_port);
    }
    /// Publishes with mosquitto_pub; true when it exited 0.
    bool publish(const QString &topic, const QByteArray &payload, bool retain = false,
                 int qos = 0) const {
        QStringList args{
            QStringLiteral("-h"),    QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
            QString::number(m_port), QStringLiteral("-t"),        topic,
            QStringLiteral("-q"),    QString::number(qos),        QStringLiteral("-s")};
        if (retain)
            args << QStringLiteral("-r");
        QProcess pub;
        pub.start(QStringLiteral("mosquitto_pub"), args);
        pub.write(payload);
        pub.closeWriteChannel();
        return pub.waitForFinished(10000) && pub.exitCode() == 0;
    }
    [[nodiscard]] QString dir() const { return m_dir.path(); }

private:
    Options m_options;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    bool m_running = false;
};

} // namespace vigil::test
