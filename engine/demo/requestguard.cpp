// SPDX-License-Identifier: Apache-2.0
#include "requestguard.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace vigil::demo {

namespace {
constexpr qsizetype kMaxChunkSizeLine = 1024;
// Enough for the largest request the limits allow, which Qt HttpServer holds whole while it parses.
constexpr qint64 kSlack = 64 * 1024;
constexpr int kLingerMs = 2000;
} // namespace

RequestFraming::Verdict RequestFraming::feed(QByteArrayView bytes) {
    qsizetype i = 0;
    while (i < bytes.size() && m_verdict == Verdict::Ok) {
        if (m_state == State::Body || m_state == State::ChunkData) {
            const qint64 take = std::min<qint64>(m_remaining, bytes.size() - i);
            i += take;
            m_remaining -= take;
            if (m_remaining == 0)
                m_state = m_state == State::Body ? State::Head : State::ChunkDataEnd;
            continue;
        }
        const char c = bytes[i++];
        const bool inHead = m_state == State::Head || m_state == State::Trailer;
        if (inHead && ++m_headBytes > m_limits.maxHeadBytes)
            return fail(Verdict::HeadTooLarge);
        if (c == '\n') {
            endOfLine();
            continue;
        }
        const qsizetype maxLine = inHead ? m_limits.maxLineBytes : kMaxChunkSizeLine;
        if (m_line.size() >= maxLine)
            return fail(inHead ? Verdict::HeadTooLarge : Verdict::Malformed);
        m_line.append(c);
    }
    return m_verdict;
}

void RequestFraming::endOfLine() {
    if (m_line.endsWith('\r'))
        m_line.chop(1);
    const QByteArray line = std::exchange(m_line, {});
    switch (m_state) {
    case State::Head:
        if (line.isEmpty() && !m_sawRequestLine)
            return; // RFC 9112 §2.2: empty lines before a request line are ignored
        if (line.isEmpty())
            return endOfHead();
        if (!m_sawRequestLine) {
            m_sawRequestLine = true;
            return;
        }
        if (++m_headers > m_limits.maxHeaders) {
            fail(Verdict::HeadTooLarge);
            return;
        }
        if (const qsizetype colon = line.indexOf(':'); colon > 0) {
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            bool ok = true;
            if (name == "content-length")
                m_contentLength = value.toLongLong(&ok);
            else if (name == "transfer-encoding")
                m_chunked = value.toLower().contains("chunked");
            if (!ok || m_contentLength < 0)
                fail(Verdict::Malformed);
        }
        return;
    case State::ChunkSize:
        return endOfChunkSize(line);
    case State::ChunkDataEnd:
        m_state = State::ChunkSize;
        return;
    case State::Trailer:
        if (line.isEmpty()) {
            m_state = State::Head;
            m_headBytes = 0;
        }
        return;
    case State::Body:
    case State::ChunkData:
        return;
    }
}

void RequestFraming::endOfHead() {
    m_sawRequestLine = false;
    m_headers = 0;
    m_headBytes = 0;
    m_bodyBytes = 0;
    // Known before a byte of it arrives: refuse at once rather than read 64 MB first.
    if (m_contentLength > m_limits.maxBodyBytes) {
        fail(Verdict::BodyTooLarge);
        return;
    }
    if (m_chunked)
        m_state = State::ChunkSize;
    else if (m_contentLength > 0)
        m_state = State::Body;
    m_remaining = m_contentLength;
    m_contentLength = 0;
    m_chunked = false;
}

void RequestFraming::endOfChunkSize(const QByteArray &line) {
    bool ok = false;
    const qsizetype extension = line.indexOf(';');
    const QByteArray hex = (extension < 0 ? line : line.left(extension)).trimmed();
    const qint64 size = hex.size() <= 15 ? hex.toLongLong(&ok, 16) : -1;
    if (!ok || size < 0) {
        fail(Verdict::Malformed);
        return;
    }
    m_bodyBytes += size;
    if (m_bodyBytes > m_limits.maxBodyBytes) {
        fail(Verdict::BodyTooLarge);
        return;
    }
    m_remaining = size;
    m_state = size == 0 ? State::Trailer : State::ChunkData;
}

QByteArray RequestFraming::refusal(Verdict verdict) {
    QByteArray status = "400 Bad Request";
    QByteArray text = "The request is malformed.\n";
    if (verdict == Verdict::HeadTooLarge) {
        status = "431 Request Header Fields Too Large";
        text = "The request line or headers are too large for the demo API.\n";
    } else if (verdict == Verdict::BodyTooLarge) {
        status = "413 Content Too Large";
        text = "The request body is too large for the demo API.\n";
    }
    return "HTTP/1.1 " + status +
           "\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(text.size()) +
           "\r\nConnection: close\r\n\r\n" + text;
}

namespace {
/// Checks one connection's bytes before Qt HttpServer reads them, and refuses what is too big.
class ConnectionGuard : public QObject {
public:
    ConnectionGuard(QTcpSocket *socket, RequestLimits limits)
        : QObject(socket)
        , m_socket(socket)
        , m_framing(limits) {
        connect(socket, &QTcpSocket::readyRead, this, [this] { inspect(); });
    }

    /// Connected after Qt HttpServer's own readyRead slot: what it left unread is not new next
    /// time (it leaves a pipelined request for a queued readyRead).
    void followServer() {
        connect(m_socket, &QTcpSocket::readyRead, this,
                [this] { m_unread = m_refused ? 0 : m_socket->bytesAvailable(); });
    }

private:
    void inspect() {
        const qint64 available = m_socket->bytesAvailable();
        if (m_refused || available <= m_unread)
            return;
        const QByteArray fresh = m_socket->peek(available).mid(m_unread);
        m_unread = available;
        if (m_framing.feed(fresh) != RequestFraming::Verdict::Ok)
            refuse();
    }

    void refuse() {
        m_refused = true;
        // Qt HttpServer never sees the rest of this connection: its readyRead slot goes (a slot
        // disconnected during an emission is not called), and what it kept is dropped.
        QObject::disconnect(m_socket, &QTcpSocket::readyRead, nullptr, nullptr);
        if (m_socket->isTransactionStarted())
            m_socket->commitTransaction();
        m_socket->readAll();
        connect(m_socket, &QTcpSocket::readyRead, this, [this] { m_socket->readAll(); });
        m_socket->write(RequestFraming::refusal(m_framing.verdict()));
        // Half-close once the answer is out, and read on (discarding) until the client closes:
        // closing with unread bytes would send a reset, and the client could lose the answer.
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] { closeWriteSideWhenSent(); });
        m_socket->flush();
        closeWriteSideWhenSent();
        QPointer<QTcpSocket> socket(m_socket);
        QTimer::singleShot(kLingerMs, this, [socket] {
            if (socket)
                socket->abort();
        });
    }

    void closeWriteSideWhenSent() {
        if (m_halfClosed || m_socket->bytesToWrite() > 0)
            return;
        m_halfClosed = true;
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    }

    QTcpSocket *m_socket;
    RequestFraming m_framing;
    qint64 m_unread = 0;
    bool m_refused = false;
    bool m_halfClosed = false;
};
} // namespace

void GuardedTcpServer::incomingConnection(qintptr socketDescriptor) {
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    // Qt HttpServer keeps a request whole until it is parsed; the limits bound that, and this
    // bounds what one read can add to it.
    socket->setReadBufferSize(m_limits.maxHeadBytes + m_limits.maxBodyBytes + kSlack);
    auto *guard = new ConnectionGuard(socket, m_limits);
    addPendingConnection(socket); // emits pendingConnectionAvailable: Qt HttpServer connects now
    guard->followServer();
}

} // namespace vigil::demo
