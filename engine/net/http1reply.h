// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "exchangetiming.h"
#include "http1parser.h"
#include "readblocks.h"

#include <QNetworkReply>
#include <QPointer>

#include <memory>

class QSslSocket;
class QTcpSocket;

namespace vigil::net {

class Http1ConnectionPool;

/// @brief A QNetworkReply for http:// and https:// that runs on the GUI thread over a keep-alive
/// pool. Https is TLS over the same HTTP/1.1 parser, so framing is judged alike on both.
///
/// Qt 6.4's own HTTP backend reads a plain-HTTP response's headers one byte per read() system call
/// (its socket is unbuffered) and crosses threads twice each way per request, which costs more
/// CPU per request than a Python asyncio client. This reply reads in blocks, never leaves the
/// thread, and opens as many connections as there are requests in flight. A plain socket is
/// unbuffered too, but read a block at a time: the bytes go from the kernel straight into the
/// blocks the receiver gets, without a copy in Qt's socket buffer.
///
/// It behaves like Qt's replies towards HttpClient: metaDataChanged once the final headers are in,
/// readyRead per body block, finished once, abort() finishing at once with
/// OperationCanceledError. A redirect is answered as it is: HttpClient decides where to go next.
///
/// A read buffer size (setReadBufferSize) bounds what waits unread, here and in the socket: a
/// reader that stops reading leaves the rest in the kernel, so TCP slows the server down. A body
/// that ends with the connection is whole only if the server closed it (FIN), not reset it (RST).
class Http1Reply : public QNetworkReply {
    Q_OBJECT
public:
    Http1Reply(Http1ConnectionPool &pool, const QNetworkRequest &request, QByteArray method,
               QByteArray body, QObject *parent = nullptr);
    ~Http1Reply() override;

    void abort() override;
    [[nodiscard]] qint64 bytesAvailable() const override;
    [[nodiscard]] bool isSequential() const override { return true; }
    void setReadBufferSize(qint64 size) override;
    /// Every body byte waiting, as readAll() would return them, but handed over rather than
    /// copied: on a download each byte would otherwise be copied once more on the GUI thread.
    [[nodiscard]] QByteArray takeAll();
    /// Where the exchange spent its time, were it to end at @p end: connecting (dns, TCP, TLS;
    /// none on a reused connection), sending, waiting for the first byte, and the body.
    [[nodiscard]] ExchangeTiming timing(ExchangeMarks::SteadyClock::time_point end) const {
        return m_marks.timing(end);
    }

protected:
    qint64 readData(char *data, qint64 maxSize) override;

private:
    void startExchange();
    /// requestSent(), once per reply, when someone can hear it.
    void announceSent();
    /// Verified as the request's TLS settings say (HttpClient::setTlsConfiguration); HTTP/1.1 only.
    void startTls(QSslSocket &socket);
    void writeRequest();
    /// Reads what the socket holds, up to the read buffer's room unless @p all.
    void readSocket(bool all);
    void readQueued() {
        m_readQueued = false;
        readSocket(false);
    }
    /// Reads what @p socket holds, at most @p room bytes, into @p data; false once the read finds
    /// the connection closed (an unbuffered socket emits nothing for that).
    bool readSome(QTcpSocket &socket, qint64 room, QByteArray &data);
    [[nodiscard]] static bool readsDirectly(const QTcpSocket &socket);
    /// Once the reader has made room, reads on (queued) what was left in the socket.
    void readLeftInSocket();
    /// Hands parsed headers and body on; false when a receiver aborted the reply meanwhile.
    bool takeParsed();
    void announce();
    void onSocketError();
    void exchangeDone(bool nothingExtra);
    void releaseSocket(bool reusable);
    void failWith(NetworkError code, const QString &message);
    void finishOnce();

    Http1ConnectionPool &m_pool;
    QByteArray m_method;
    QByteArray m_body;
    QUrl m_target;
    QPointer<QTcpSocket> m_socket;
    bool m_reused = false;
    bool m_retriedStale = false;
    bool m_receivedAny = false;
    bool m_announced = false;
    bool m_sent = false;
    bool m_constructing = false; // startExchange() from the constructor: nobody listens yet
    bool m_readQueued = false;
    bool m_heldBack = false;      // the last read found no room in m_buffer
    bool m_closeNotified = false; // TLS's close_notify came: a close then is not a truncation
    qint64 m_toWrite = 0;
    std::unique_ptr<Http1ResponseParser> m_parser;
    QByteArray m_buffer; // body bytes not yet read by the caller
    ReadBlocks m_blocks;
    ExchangeMarks m_marks;
    bool m_finished = false;
};

} // namespace vigil::net
