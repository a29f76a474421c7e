// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace vigil::demo {

/// @brief A private mosquitto on 127.0.0.1 and a free port, with a temporary config, run as a
/// child process: the broker of the offline MQTT demo, the MQTT benchmark and the tests.
///
/// Anonymous clients are allowed (mosquitto 2.0 refuses them once a listener is set) unless a
/// password file is given. kill() is a SIGKILL; start() again brings it back on the same port.
class MosquittoProcess {
public:
    struct Options {
        QString passwordFile;      ///< set: anonymous clients are refused
        QString certFile, keyFile; ///< set: the listener speaks TLS
    };

    explicit MosquittoProcess(Options options = {});
    MosquittoProcess(const MosquittoProcess &) = delete;
    MosquittoProcess &operator=(const MosquittoProcess &) = delete;
    ~MosquittoProcess();

    /// The mosquitto binary, empty when it is not installed.
    [[nodiscard]] static QString binary();
    /// What to tell a user who lacks it.
    [[nodiscard]] static QString missingMessage();

    /// Starts it and waits (without blocking the event loop) until it accepts connections,
    /// for up to 5 s. False with errorString() when it cannot.
    [[nodiscard]] QCoro::Task<bool> start();
    /// SIGKILL: no goodbye to any client, as a crash or a pulled plug.
    void kill();
    /// SIGTERM, then SIGKILL if it does not end within 3 s.
    void stop();

    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] quint16 port() const { return m_port; }
    /// "mqtt://127.0.0.1:PORT" (or @p scheme://…).
    [[nodiscard]] QString url(const QString &scheme = QStringLiteral("mqtt")) const;
    [[nodiscard]] QString errorString() const { return m_error; }
    [[nodiscard]] QString dir() const { return m_dir.path(); }

private:
    bool writeConfig();

    Options m_options;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    bool m_running = false;
    QString m_error;
};

} // namespace vigil::demo
