// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <vector>

class QTcpSocket;

namespace vigil::net {

/// @brief Keep-alive HTTP/1.1 connections, by scheme, host and port, on the GUI thread: plain TCP
/// for http://, TLS (a QSslSocket, verified as the request's TLS settings say) for https://.
///
/// There is no per-host limit: callers bound their own concurrency (a batch's C slots), and
/// "concurrency N" must mean N connections. An idle connection that the server closes, sends
/// anything on (a stray response would become the next request's answer), or that sits unused for
/// 30 s, is dropped.
class Http1ConnectionPool : public QObject {
    Q_OBJECT
public:
    explicit Http1ConnectionPool(QObject *parent = nullptr);
    ~Http1ConnectionPool() override;

    /// An idle connected socket to @p target's origin, or a new unconnected one (@p reused false):
    /// a QSslSocket for https. The caller owns its signal connections until it gives the socket
    /// back or deletes it.
    QTcpSocket *take(const QUrl &target, bool *reused);
    /// Returns a socket whose last response ended cleanly, for the next request to that origin.
    void giveBack(const QUrl &target, QTcpSocket *socket);

    [[nodiscard]] int idleCount() const;

    /// Keeps a second descriptor of @p socket's connection until the socket is deleted, so that
    /// wasReset() can answer. Qt reports a reset (RST) and an orderly close (FIN) alike, as
    /// RemoteHostClosedError, and closes its own descriptor at once. Only for bodies that end with
    /// the connection: every other framing knows its end, and the descriptors are not doubled.
    static void watchForReset(QTcpSocket *socket);
    /// Whether the peer reset the connection of a socket given to watchForReset().
    [[nodiscard]] static bool wasReset(const QTcpSocket *socket);

private:
    struct Idle {
        QTcpSocket *socket;
        qint64 since;
    };
    static QString key(const QUrl &target);
    void drop(QTcpSocket *socket);
    void closeStale();

    QHash<QString, std::vector<Idle>> m_idle;
    QElapsedTimer m_clock;
    QTimer m_sweep;
};

} // namespace vigil::net
