// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace vigil::bench {

/// Starts `@p vigilBinary serve-demo @p args` in @p process and returns the URL it prints
/// first, so a benchmark's server never shares a CPU-bound event loop with the client it
/// measures. Throws std::runtime_error if it does not start within 5 s.
[[nodiscard]] QCoro::Task<QString> startDemoProcess(QProcess &process, QString vigilBinary,
                                                    QStringList args = {});

/// Stops the server started by startDemoProcess.
void stopDemoProcess(QProcess &process);

/// @brief A private nginx on a free 127.0.0.1 port, serving the folder www() under a temporary
/// prefix inside @p parent: a real server to measure downloads against.
class NginxProcess {
public:
    explicit NginxProcess(const QString &parent);
    NginxProcess(const NginxProcess &) = delete;
    NginxProcess &operator=(const NginxProcess &) = delete;
    ~NginxProcess();

    /// The folder it serves; files put there before or after start() are served alike.
    [[nodiscard]] QString www() const;
    /// Starts it and waits until it accepts connections; returns its base URL. Throws
    /// std::runtime_error when nginx is not installed or does not start within 5 s.
    QString start();

private:
    QTemporaryDir m_prefix;
    QProcess m_process;
};

} // namespace vigil::bench
