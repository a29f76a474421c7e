// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QTcpServer>

namespace vigil::demo {

/// @brief The demo API's bounds on a request: Qt HttpServer 6.4 has none, and buffers a request
/// line, a head or a body whole, however big (a 100 MB request line cost the GUI 1.3 GB).
struct RequestLimits {
    qsizetype maxLineBytes = 8 * 1024;  ///< the request line, and each header line
    qsizetype maxHeadBytes = 64 * 1024; ///< request line and headers together
    qsizetype maxHeaders = 100;
    qint64 maxBodyBytes = 1024 * 1024; ///< the demo API takes no uploads
};

/// @brief Follows the framing of the HTTP/1.1 requests on one connection, byte by byte as they
/// arrive, and says when one goes past its RequestLimits. Pure: it never reads a socket.
class RequestFraming {
public:
    enum class Verdict { Ok, HeadTooLarge, BodyTooLarge, Malformed };

    explicit RequestFraming(RequestLimits limits = {})
        : m_limits(limits) {}

    /// Feeds the next bytes of the connection; once not Ok, the verdict stays.
    Verdict feed(QByteArrayView bytes);
    [[nodiscard]] Verdict verdict() const { return m_verdict; }

    /// The response that refuses a request for @p verdict: 431, 413 or 400, Connection: close.
    [[nodiscard]] static QByteArray refusal(Verdict verdict);

private:
    enum class State { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailer };
    void endOfLine();
    void endOfHead();
    void endOfChunkSize(const QByteArray &line);
    Verdict fail(Verdict v) { return m_verdict = v; }

    RequestLimits m_limits;
    Verdict m_verdict = Verdict::Ok;
    State m_state = State::Head;
    QByteArray m_line; // the line so far, never longer than maxLineBytes
    qsizetype m_headBytes = 0;
    qsizetype m_headers = 0;
    bool m_sawRequestLine = false;
    qint64 m_contentLength = 0;
    bool m_chunked = false;
    qint64 m_remaining = 0; // of the body, or of the current chunk
    qint64 m_bodyBytes = 0;
};

/// @brief A loopback QTcpServer for QHttpServer::bind() that checks every connection's requests
/// against RequestLimits before Qt HttpServer buffers them. A request past a limit gets 431
/// (request line or headers too large), 413 (body too large) or 400, and the connection is
/// closed: its write side at once, the rest after the client stops sending (at most 2 s), so
/// that the client reads the answer instead of a reset.
class GuardedTcpServer : public QTcpServer {
    Q_OBJECT
public:
    explicit GuardedTcpServer(RequestLimits limits = {}, QObject *parent = nullptr)
        : QTcpServer(parent)
        , m_limits(limits) {}

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    RequestLimits m_limits;
};

} // namespace vigil::demo
