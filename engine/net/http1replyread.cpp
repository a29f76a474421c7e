// SPDX-License-Identifier: Apache-2.0
// Http1Reply's reading half: from the socket into the parser, and from its buffer to the reader.
#include "http1reply.h"

#include <QTcpSocket>

#include <limits>

namespace vigil::net {

void Http1Reply::readSocket(bool all) {
    QTcpSocket *socket = m_socket.data();
    if (!socket || m_finished)
        return;
    const qint64 limit = readBufferSize();
    const qint64 room =
        all || limit <= 0 ? std::numeric_limits<qint64>::max() : limit - m_buffer.size();
    m_heldBack = room <= 0;
    if (m_heldBack)
        return; // readData() comes back once the reader has made room
    QByteArray data;
    if (!readSome(*socket, room, data))
        return onSocketError(); // closed: an unbuffered socket finds out only by reading
    if (data.isEmpty())
        return;
    m_receivedAny = true;
    m_marks.firstByte();
    QByteArrayView rest(data);
    while (!rest.isEmpty() && !m_parser->done()) {
        const qsizetype used =
            rest.size() == data.size() ? m_parser->feedShared(data) : m_parser->feed(rest);
        rest = rest.sliced(used);
        if (m_parser->failed())
            return failWith(ProtocolFailure,
                            QStringLiteral("bad HTTP response: ") + m_parser->error());
        if (!takeParsed())
            return; // the caller aborted from a signal
        if (used == 0)
            break;
    }
    if (m_parser->done())
        exchangeDone(rest.isEmpty());
}

bool Http1Reply::readsDirectly(const QTcpSocket &socket) {
    return socket.openMode().testFlag(QIODevice::Unbuffered);
}

bool Http1Reply::readSome(QTcpSocket &socket, qint64 room, QByteArray &data) {
    const bool direct = readsDirectly(socket);
    // Closed before, and said so then. A failed write closes the descriptor and reports the error
    // while the state still says connected: reading on would find "closed" again, without end.
    if (direct && (socket.state() != QAbstractSocket::ConnectedState || !socket.isValid()))
        return true;
    const qint64 available = socket.bytesAvailable();
    // Unbuffered, a readyRead with nothing waiting is the close (or a spurious wake-up): only a
    // read tells which. It gives -1 once, and the socket is unconnected from then on.
    const qint64 n = std::min(room, available > 0 || !direct ? available : ReadBlocks::kMinRead);
    if (n <= 0)
        return true;
    const bool pooled = readBufferSize() > 0 && ReadBlocks::fits(n);
    if (!direct && !pooled) {
        data = n == available ? socket.readAll() : socket.read(n);
        return true;
    }
    const qint64 got =
        pooled ? m_blocks.read(socket, n, data) : ReadBlocks::readFresh(socket, n, data);
    return got >= 0 || !direct;
}

qint64 Http1Reply::bytesAvailable() const {
    return qint64(m_buffer.size()) + QIODevice::bytesAvailable();
}

qint64 Http1Reply::readData(char *data, qint64 maxSize) {
    const qint64 n = std::min<qint64>(maxSize, m_buffer.size());
    if (n == 0)
        return m_finished ? -1 : 0;
    memcpy(data, m_buffer.constData(), size_t(n));
    if (n == m_buffer.size())
        m_buffer.clear(); // null again, so the next block is taken without a copy
    else
        m_buffer.remove(0, qsizetype(n));
    readLeftInSocket();
    return n;
}

QByteArray Http1Reply::takeAll() {
    if (QIODevice::bytesAvailable() > 0) // an ungetChar(): the rare case keeps the plain path
        return readAll();
    QByteArray all = std::exchange(m_buffer, QByteArray());
    if (!all.isEmpty())
        readLeftInSocket();
    return all;
}

void Http1Reply::readLeftInSocket() {
    const QTcpSocket *socket = m_socket.data();
    // Held back on an unbuffered socket, a close may be waiting unseen: only a read tells.
    const bool unseen = socket && m_heldBack && readsDirectly(*socket);
    if (socket && !m_readQueued && (unseen || socket->bytesAvailable() > 0)) {
        m_readQueued = true; // left unread while the buffer was full; not from inside this read
        QMetaObject::invokeMethod(this, &Http1Reply::readQueued, Qt::QueuedConnection);
    }
}

void Http1Reply::setReadBufferSize(qint64 size) {
    QNetworkReply::setReadBufferSize(size);
    if (QTcpSocket *socket = m_socket.data())
        socket->setReadBufferSize(size);
}

} // namespace vigil::net
