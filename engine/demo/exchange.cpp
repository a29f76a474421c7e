// SPDX-License-Identifier: Apache-2.0
#include "exchange.h"

#include <QTcpSocket>

namespace vigil::demo {

namespace {
// Keep at most this much queued in the socket: enough to fill loopback, little enough that a
// 256 MiB body never sits in memory.
constexpr qint64 kSocketHighWater = 512 * 1024;
} // namespace

Exchange::Exchange(QHttpServerResponder &&responder, QObject *parent)
    : QObject(parent)
    , m_responder(std::move(responder))
    , m_socket(m_responder->socket()) {
    if (m_socket) {
        connect(m_socket, &QTcpSocket::disconnected, this, [this] { finish(false); });
        connect(m_socket, &QObject::destroyed, this, [this] { finish(false); });
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
            if (m_source && !m_trickle.isActive())
                pump();
        });
    }
    connect(&m_trickle, &QTimer::timeout, this, &Exchange::pump);
}

// Destroyed with the server, an unfinished exchange just goes: nobody is left to count it.
Exchange::~Exchange() = default;

void Exchange::writeHead(int status, const HeaderPairs &headers) {
    m_responder->writeStatusLine(QHttpServerResponder::StatusCode(status));
    for (const auto &[key, value] : headers)
        m_responder->writeHeader(key, value);
}

void Exchange::respond(int status, const QByteArray &body, const QByteArray &mimeType,
                       const HeaderPairs &headers) {
    if (m_done || !m_socket)
        return finish(false);
    writeHead(status, headers);
    m_responder->writeHeader("Content-Type", mimeType);
    m_responder->writeHeader("Content-Length", QByteArray::number(body.size()));
    m_responder->writeBody(body);
    finish(true);
}

void Exchange::respondJson(int status, const QByteArray &json, const HeaderPairs &headers) {
    respond(status, json, "application/json", headers);
}

void Exchange::stream(int status, const HeaderPairs &headers, qint64 length, BodySource source,
                      std::chrono::milliseconds chunkInterval, qint64 chunkSize) {
    if (m_done || !m_socket)
        return finish(false);
    writeHead(status, headers);
    m_responder->writeHeader("Content-Length", QByteArray::number(length));
    m_length = length;
    m_source = std::move(source);
    m_chunkSize = std::max<qint64>(1, chunkSize);
    if (length == 0) {
        m_responder->writeBody(QByteArray());
        return finish(true);
    }
    if (chunkInterval.count() > 0) {
        m_responder->writeBody(QByteArray()); // ends the header block now
        m_trickle.start(chunkInterval);
    } else {
        pump();
    }
}

void Exchange::pump() {
    if (m_done || !m_socket)
        return finish(false);
    const bool trickling = m_trickle.isActive();
    while (m_sent < m_length) {
        const QTcpSocket *socket = m_socket.data();
        if (!socket)
            return finish(false);
        if (socket->bytesToWrite() >= kSocketHighWater)
            break;
        const QByteArray chunk = m_source(m_sent, std::min(m_chunkSize, m_length - m_sent));
        if (chunk.isEmpty())
            break;
        m_responder->writeBody(chunk);
        m_sent += chunk.size();
        if (trickling)
            break;
    }
    if (m_sent >= m_length)
        finish(true);
}

void Exchange::finish(bool completed) {
    if (m_done)
        return;
    m_done = true;
    m_trickle.stop();
    m_source = nullptr;
    Q_EMIT finished(completed);
    deleteLater();
}

} // namespace vigil::demo
