// SPDX-License-Identifier: Apache-2.0
#include "http1parser.h"

#include <limits>

namespace vigil::net {

namespace {
bool isToken(char c) {
    if (c >= 'a' && c <= 'z')
        return true;
    if (c >= 'A' && c <= 'Z')
        return true;
    if (c >= '0' && c <= '9')
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool hasToken(const QByteArray &list, QByteArrayView token) {
    for (const QByteArray &part : list.split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

std::optional<qint64> parseDecimal(QByteArrayView text) {
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    qint64 v = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

std::optional<qint64> parseChunkSize(QByteArrayView line) {
    // chunk-size [; extensions]: the extensions are allowed and ignored
    const qsizetype semicolon = line.indexOf(';');
    const QByteArrayView digits = (semicolon < 0 ? line : line.first(semicolon)).trimmed();
    if (digits.isEmpty() || digits.size() > 15)
        return std::nullopt;
    qint64 v = 0;
    for (char c : digits) {
        int d = -1;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        if (d < 0)
            return std::nullopt;
        v = v * 16 + d;
    }
    return v;
}
} // namespace

QByteArray Http1ResponseParser::header(QByteArrayView name) const {
    for (const auto &[key, value] : m_headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray Http1ResponseParser::takeBody() {
    return std::exchange(m_body, {});
}

bool Http1ResponseParser::keepAlive() const {
    if (m_state != State::Done || m_framing == Framing::UntilClose)
        return false;
    if (!header("transfer-encoding").isEmpty() && !header("content-length").isEmpty())
        return false;
    const QByteArray connection = header("connection");
    if (m_minorVersion == 0)
        return hasToken(connection, "keep-alive");
    return !hasToken(connection, "close");
}

void Http1ResponseParser::fail(const QString &why) {
    m_state = State::Failed;
    m_error = why;
}

qsizetype Http1ResponseParser::takeLine(QByteArrayView data, QByteArray &line) {
    const qsizetype lf = data.indexOf('\n');
    const qsizetype used = lf < 0 ? data.size() : lf + 1;
    m_headerBytes += used;
    if (m_headerBytes > kMaxHeaderBytes) {
        fail(QStringLiteral("response headers larger than %1 bytes").arg(kMaxHeaderBytes));
        return data.size();
    }
    m_line.append(data.first(used));
    if (lf < 0)
        return -used - 1; // all of it taken, line not complete
    line = std::exchange(m_line, {});
    line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    return used;
}

bool Http1ResponseParser::parseStatusLine(const QByteArray &line) {
    // HTTP/1.x SP 3DIGIT SP reason
    if (line.size() < 12 || !line.startsWith("HTTP/1.") || line[8] != ' ')
        return false;
    if (line[7] != '0' && line[7] != '1')
        return false;
    m_minorVersion = line[7] - '0';
    const auto code = parseDecimal(QByteArrayView(line).sliced(9, 3));
    if (!code || *code < 100 || (line.size() > 12 && line[12] != ' '))
        return false;
    m_status = int(*code);
    m_reason = line.size() > 13 ? line.mid(13) : QByteArray();
    return true;
}

bool Http1ResponseParser::parseHeaderLine(const QByteArray &line) {
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return false;
    const QByteArray name = line.left(colon);
    for (char c : name) {
        if (!isToken(c))
            return false; // includes a folded (obsolete) continuation line, which starts with space
    }
    m_headers.append({name, line.mid(colon + 1).trimmed()});
    return true;
}

void Http1ResponseParser::headersEnded() {
    if (m_status < 200) {
        // An interim response (100 Continue, 103 Early Hints): the real one follows.
        m_headers.clear();
        m_status = 0;
        m_reason.clear();
        m_state = State::StatusLine;
        return;
    }
    const QByteArray transferEncoding = header("transfer-encoding");
    const QByteArray contentLength = header("content-length");
    if (m_head || m_status == 204 || m_status == 304) {
        m_framing = Framing::None;
    } else if (!transferEncoding.isEmpty()) {
        if (!transferEncoding.trimmed().toLower().endsWith("chunked"))
            return fail(QStringLiteral("unsupported Transfer-Encoding: %1")
                            .arg(QString::fromLatin1(transferEncoding)));
        m_framing = Framing::Chunked;
    } else if (!contentLength.isEmpty()) {
        const auto length = parseDecimal(contentLength.trimmed());
        if (!length)
            return fail(QStringLiteral("bad Content-Length: %1")
                            .arg(QString::fromLatin1(contentLength.left(40))));
        m_framing = *length > 0 ? Framing::Length : Framing::None;
        m_remaining = *length;
    } else {
        m_framing = Framing::UntilClose;
    }
    m_state = m_framing == Framing::None ? State::Done : State::Body;
}

qsizetype Http1ResponseParser::feed(QByteArrayView data) {
    qsizetype used = 0;
    while (used < data.size() && (m_state == State::StatusLine || m_state == State::Headers)) {
        QByteArray line;
        const qsizetype n = takeLine(data.sliced(used), line);
        if (m_state == State::Failed)
            return data.size();
        if (n < 0)
            return data.size(); // the line continues in the next read
        used += n;
        if (m_state == State::StatusLine) {
            if (!parseStatusLine(line)) {
                fail(QStringLiteral("not an HTTP/1.x status line: %1")
                         .arg(QString::fromLatin1(line.left(60))));
                return data.size();
            }
            m_state = State::Headers;
        } else if (line.isEmpty()) {
            headersEnded();
            if (m_state == State::Failed)
                return data.size();
        } else if (!parseHeaderLine(line)) {
            fail(QStringLiteral("malformed header line: %1")
                     .arg(QString::fromLatin1(line.left(60))));
            return data.size();
        }
    }
    if (m_state == State::Body && used < data.size())
        used += feedBody(data.sliced(used));
    return used;
}

qsizetype Http1ResponseParser::feedShared(const QByteArray &data) {
    const bool allBody = m_framing == Framing::UntilClose ||
                         (m_framing == Framing::Length && m_remaining > data.size());
    if (m_state != State::Body || !m_body.isEmpty() || !allBody)
        return feed(QByteArrayView(data));
    m_body = data;
    if (m_framing == Framing::Length)
        m_remaining -= data.size();
    return data.size();
}

qsizetype Http1ResponseParser::feedBody(QByteArrayView data) {
    switch (m_framing) {
    case Framing::Length: {
        const qsizetype n = qsizetype(std::min<qint64>(m_remaining, data.size()));
        m_body.append(data.first(n));
        m_remaining -= n;
        if (m_remaining == 0)
            m_state = State::Done;
        return n;
    }
    case Framing::UntilClose:
        m_body.append(data);
        return data.size();
    case Framing::Chunked:
        return feedChunked(data);
    case Framing::None:
        break;
    }
    return 0;
}

qsizetype Http1ResponseParser::feedChunked(QByteArrayView data) {
    qsizetype used = 0;
    while (used < data.size() && m_state == State::Body) {
        if (m_chunkStep == ChunkStep::Data) {
            const qsizetype n = qsizetype(std::min<qint64>(m_remaining, data.size() - used));
            m_body.append(data.sliced(used, n));
            used += n;
            m_remaining -= n;
            if (m_remaining == 0)
                m_chunkStep = ChunkStep::DataEnd;
            continue;
        }
        // Chunk framing lines share the header budget, so a hostile stream of empty chunks or
        // endless trailers is bounded too.
        if (m_line.isEmpty() && m_chunkStep != ChunkStep::Trailers)
            m_headerBytes = 0; // each framing line gets the budget afresh; trailers share one
        QByteArray line;
        const qsizetype n = takeLine(data.sliced(used), line);
        if (m_state == State::Failed)
            return data.size();
        if (n < 0)
            return data.size();
        used += n;
        switch (m_chunkStep) {
        case ChunkStep::Size: {
            const auto size = parseChunkSize(line);
            if (!size) {
                fail(QStringLiteral("bad chunk size: %1").arg(QString::fromLatin1(line.left(40))));
                return data.size();
            }
            m_remaining = *size;
            m_chunkStep = *size == 0 ? ChunkStep::Trailers : ChunkStep::Data;
            if (*size == 0)
                m_headerBytes = 0;
            break;
        }
        case ChunkStep::DataEnd:
            if (!line.isEmpty()) {
                fail(QStringLiteral("chunk data longer than its size"));
                return data.size();
            }
            m_chunkStep = ChunkStep::Size;
            break;
        case ChunkStep::Trailers:
            if (line.isEmpty())
                m_state = State::Done;
            break;
        case ChunkStep::Data:
            break;
        }
    }
    return used;
}

void Http1ResponseParser::endOfStream(Close how) {
    if (m_state == State::Done || m_state == State::Failed)
        return;
    const bool untilClose = m_state == State::Body && m_framing == Framing::UntilClose;
    if (untilClose && how == Close::Orderly) {
        m_state = State::Done;
        return;
    }
    if (untilClose && how == Close::WithoutCloseNotify) {
        return fail(QStringLiteral("the server closed the TLS connection without close_notify, so "
                                   "the body may be cut short"));
    }
    const QString verb = how == Close::Reset ? QStringLiteral("reset") : QStringLiteral("closed");
    fail(m_state == State::StatusLine && m_headerBytes == 0
             ? QStringLiteral("the server %1 the connection without answering").arg(verb)
             : QStringLiteral("the server %1 the connection mid-response").arg(verb));
}

} // namespace vigil::net
