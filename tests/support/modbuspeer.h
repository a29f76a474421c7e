// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "asynctest.h"

#include "util/childprocess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

namespace vigil::test {

/// @brief A Modbus TCP server Vigil did not write, for a test: pymodbus 3.0 (Debian's, through
/// /usr/bin/python3) behind tests/support/modbus_peer.py's counting proxy, on a free loopback
/// port. The layout names the values it serves; stats() is what the proxy saw.
class ModbusPeer {
public:
    struct Options {
        int delayMs = 0;      ///< each answer held back this long
        int busyAddress = -1; ///< reads covering it get exception 6
    };
    ModbusPeer(const QJsonObject &layout, Options options)
        : m_options(options)
        , m_port(0) {
        QFile f(m_dir.filePath(QStringLiteral("layout.json")));
        if (f.open(QIODevice::WriteOnly))
            f.write(QJsonDocument(layout).toJson());
    }
    explicit ModbusPeer(const QJsonObject &layout)
        : ModbusPeer(layout, Options{}) {}
    ~ModbusPeer() { kill(); }

    /// Starts it on a port of its choosing (again after kill(): on the same port); false with
    /// why() when it does not come up within 20 s.
    bool start() {
        QStringList args{QStringLiteral(VIGIL_TEST_SUPPORT_DIR "/modbus_peer.py"),
                         QStringLiteral("--port"),
                         QString::number(m_port),
                         QStringLiteral("--layout"),
                         m_dir.filePath(QStringLiteral("layout.json")),
                         QStringLiteral("--stats"),
                         statsPath(),
                         QStringLiteral("--delay-ms"),
                         QString::number(m_options.delayMs)};
        if (m_options.busyAddress >= 0)
            args << QStringLiteral("--busy-address") << QString::number(m_options.busyAddress);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral("/usr/bin/python3"), args);
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20000) {
            spin(std::chrono::milliseconds(50));
            m_output += m_process.readAll();
            const qsizetype ready = m_output.indexOf("READY ");
            if (ready >= 0 && m_output.indexOf('\n', ready) > 0) {
                // The port the peer bound: 0 at first (it picks one, so two tests never race
                // for the same), the same one on a restart.
                m_port = quint16(m_output.mid(ready + 6).split('\n').first().trimmed().toUInt());
                return m_port != 0;
            }
            if (m_process.state() == QProcess::NotRunning) {
                m_why = QStringLiteral("modbus_peer.py exited: ") + QString::fromUtf8(m_output);
                return false;
            }
        }
        m_why = QStringLiteral("modbus_peer.py did not listen within 20 s");
        return false;
    }
    /// SIGKILL, as a crashed device or a pulled cable.
    void kill() {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
        m_output.clear();
    }

    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] const QString &why() const { return m_why; }
    /// What the proxy saw: requests, by_function, max_open, connections, reads.
    [[nodiscard]] QJsonObject stats() const {
        QFile f(statsPath());
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(f.readAll()).object();
    }
    [[nodiscard]] int requests() const { return stats().value(QStringLiteral("requests")).toInt(); }

private:
    [[nodiscard]] QString statsPath() const { return m_dir.filePath(QStringLiteral("stats.json")); }

    Options m_options;
    QTemporaryDir m_dir;
    quint16 m_port;
    QProcess m_process;
    QByteArray m_output;
    QString m_why;
};

} // namespace vigil::test
