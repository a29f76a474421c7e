// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "loopbacktls.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <functional>
#include <memory>

#include <sys/socket.h>

namespace vigil::test {

/// @brief A hand-written HTTP server on a free loopback port that answers exactly as a test
/// scripts it: wrong lengths, stray bytes, RSTs, hostile headers. Real sockets, no mocks.
///
/// Each request head (up to the blank line) is recorded and handed with its socket to the
/// script, which writes whatever it likes and may keep the connection, close it, or reset it.
/// Over TLS, the script writes plaintext to a QSslSocket: closing sends close_notify first, a
/// reset does not.
class HostileServer : public QObject {
public:
    /// Called once per request head received. @p index counts requests across connections.
    using Script = std::function<void(QTcpSocket *socket, const QByteArray &head, int index)>;
    enum class Transport { Plain, Tls };

    /// Tls presents loopbackCertificate(): clients trust it through trustingLoopback().
    explicit HostileServer(Script script, Transport transport = Transport::Plain)
        : m_script(std::move(script))
        , m_tls(transport == Transport::Tls) {
        if (m_tls) {
            auto server = std::make_unique<QSslServer>();
            server->setSslConfiguration(loopbackServerTls());
            m_server = std::move(server);
        } else {
            m_server = std::make_unique<QTcpServer>();
        }
        m_server->listen(QHostAddress::LocalHost, 0);
        // Over TLS, a connection is pending once its handshake is done.
        QObject::connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *s = m_server->nextPendingConnection())
                accept(s);
        });
    }

    [[nodiscard]] quint16 port() const { return m_server->serverPort(); }
    /// http(s)://127.0.0.1:PORT followed by @p path.
    [[nodiscard]] QUrl url(const QString &path = QStringLiteral("/")) const {
        return QUrl(QStringLiteral("%1://127.0.0.1:%2%3")
                        .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                        .arg(port())
                        .arg(path));
    }
    /// Every request head received so far, in arrival order.
    [[nodiscard]] const QList<QByteArray> &heads() const { return m_heads; }
    [[nodiscard]] int connections() const { return m_connections; }

    /// Closes @p socket with a TCP RST instead of a FIN (SO_LINGER with a zero timeout).
    static void reset(QTcpSocket *socket) {
        const linger hard{1, 0};
        ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        socket->abort();
    }

private:
    void accept(QTcpSocket *s) {
        ++m_connections;
        QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        auto *buffer = new QByteArray;
        QObject::connect(s, &QObject::destroyed, s, [buffer] { delete buffer; });
        QObject::connect(s, &QTcpSocket::readyRead, this, [this, s, buffer] {
            buffer->append(s->readAll());
            qsizetype end;
            while ((end = buffer->indexOf("\r\n\r\n")) >= 0) {
                const QByteArray head = buffer->left(end + 4);
                buffer->remove(0, end + 4);
                m_heads.append(head);
                const QPointer<QTcpSocket> alive(s);
                m_script(s, head, int(m_heads.size()) - 1);
                if (!alive || s->state() != QAbstractSocket::ConnectedState)
                    return;
            }
        });
    }

    Script m_script;
    bool m_tls = false;
    std::unique_ptr<QTcpServer> m_server;
    QList<QByteArray> m_heads;
    int m_connections = 0;
};

} // namespace vigil::test
