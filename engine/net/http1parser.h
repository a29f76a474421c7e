// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httptypes.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace vigil::net {

/// @brief Reads one HTTP/1.x response from a byte stream, incrementally and within limits.
///
/// Handles the status line, headers (folded lines rejected), interim 1xx responses, and the three
/// body framings: Content-Length, chunked (extensions and trailers skipped), and until-close.
/// Bytes after the response belong to the next one and are left unconsumed.
class Http1ResponseParser {
public:
    enum class State { StatusLine, Headers, Body, Done, Failed };

    /// A reply to HEAD has headers only, whatever Content-Length says.
    explicit Http1ResponseParser(bool headRequest = false)
        : m_head(headRequest) {}

    /// Consumes what belongs to this response from @p data; returns how many bytes it took.
    qsizetype feed(QByteArrayView data);
    /// As feed(), but a block that is all body is kept without a copy (downloads' bulk).
    qsizetype feedShared(const QByteArray &data);
    /// How the peer ended the connection.
    enum class Close {
        Orderly,            ///< a FIN, after TLS's close_notify on https
        Reset,              ///< an RST: whatever was under way was cut
        WithoutCloseNotify, ///< a FIN on TLS without close_notify: anyone on the path can send one
    };
    /// The peer closed the connection. Only an orderly close ends an until-close body: a reset or
    /// a TLS close without close_notify cannot tell a whole body from a cut one (RFC 9112, 9.8).
    /// Anything else unfinished fails.
    void endOfStream(Close how = Close::Orderly);

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] bool headersComplete() const {
        return m_state == State::Body || m_state == State::Done;
    }
    [[nodiscard]] bool done() const { return m_state == State::Done; }
    [[nodiscard]] bool failed() const { return m_state == State::Failed; }
    [[nodiscard]] QString error() const { return m_error; }

    [[nodiscard]] int status() const { return m_status; }
    [[nodiscard]] QByteArray reason() const { return m_reason; }
    [[nodiscard]] const RawHeaders &headers() const { return m_headers; }
    [[nodiscard]] QByteArray header(QByteArrayView name) const;
    /// Body bytes parsed so far and not yet taken.
    [[nodiscard]] qsizetype bodyAvailable() const { return m_body.size(); }
    [[nodiscard]] QByteArray takeBody();
    /// Whether the body ends with the connection (no length, not chunked).
    [[nodiscard]] bool closeDelimited() const { return m_framing == Framing::UntilClose; }
    /// Whether the connection can carry another request after this response: not after a
    /// close-delimited body, nor after one framed both ways (RFC 9112, 6.1: possible smuggling).
    [[nodiscard]] bool keepAlive() const;

    static constexpr qsizetype kMaxHeaderBytes = 64 * 1024;

private:
    enum class Framing { None, Length, Chunked, UntilClose };
    enum class ChunkStep { Size, Data, DataEnd, Trailers };

    qsizetype feedBody(QByteArrayView data);
    qsizetype feedChunked(QByteArrayView data);
    /// A complete line (without CRLF) from the buffered line plus @p data, or -1 for "need more".
    qsizetype takeLine(QByteArrayView data, QByteArray &line);
    bool parseStatusLine(const QByteArray &line);
    bool parseHeaderLine(const QByteArray &line);
    void headersEnded();
    void fail(const QString &why);

    bool m_head = false;
    State m_state = State::StatusLine;
    QString m_error;
    int m_status = 0;
    int m_minorVersion = 1;
    QByteArray m_reason;
    RawHeaders m_headers;
    qsizetype m_headerBytes = 0;
    QByteArray m_line;
    Framing m_framing = Framing::None;
    qint64 m_remaining = 0;
    ChunkStep m_chunkStep = ChunkStep::Size;
    QByteArray m_body;
};

} // namespace vigil::net
