// SPDX-License-Identifier: Apache-2.0
#include "resumeprotocol.h"

#include "net/byterange.h"

#include <algorithm>

namespace vigil::fetch {

net::RawHeaders resumeHeaders(qint64 existing, const QString &etag, const QString &lastModified) {
    net::RawHeaders headers;
    if (existing <= 0)
        return headers;
    headers.append({"Range", "bytes=" + QByteArray::number(existing) + '-'});
    // Without a validator the server cannot tell us the file changed; Range alone then risks
    // splicing two versions, so the size check and the checksum are the only guard left.
    if (!etag.isEmpty() || !lastModified.isEmpty())
        headers.append({"If-Range", (etag.isEmpty() ? lastModified : etag).toUtf8()});
    return headers;
}

ResumeDecision decideResume(int status, const net::RawHeaders &headers, qint64 existing,
                            qint64 knownTotal) {
    using Kind = ResumeDecision::Kind;
    if (status == 416 && existing > 0 && existing == knownTotal)
        return {Kind::AlreadyComplete, existing, knownTotal};
    if (status == 206) {
        const auto range = net::parseContentRange(net::headerValue(headers, "Content-Range"));
        if (!range || range->range.first != existing)
            return {Kind::Restart, 0, -1};
        return {Kind::Write, existing, range->total};
    }
    if (status == 200) {
        const QByteArray length = net::headerValue(headers, "Content-Length");
        bool ok = false;
        const qint64 total = length.trimmed().toLongLong(&ok);
        return {Kind::Write, 0, ok && total >= 0 ? total : -1};
    }
    return {Kind::NotABody, 0, -1};
}

net::RawHeaders existingFileProbe(qint64 size) {
    return {{"Range", "bytes=" + QByteArray::number(std::max<qint64>(size, 0)) + '-'}};
}

namespace {
/// The total of a 416's `Content-Range: bytes */TOTAL`, -1 when absent or malformed.
qint64 unsatisfiedTotal(QByteArrayView header) {
    const QByteArray text = header.toByteArray().trimmed();
    if (!text.startsWith("bytes */"))
        return -1;
    bool ok = false;
    const qint64 total = text.mid(8).toLongLong(&ok);
    return ok && total >= 0 ? total : -1;
}
} // namespace

ExistingFileVerdict judgeExistingFile(int status, const net::RawHeaders &headers, qint64 size) {
    using Kind = ExistingFileVerdict::Kind;
    const QByteArray contentRange = net::headerValue(headers, "Content-Range");
    qint64 serverSize = -1;
    if (status == 416) {
        serverSize = unsatisfiedTotal(contentRange);
        // "Nothing from byte SIZE on": with no total given, the file has at most SIZE bytes.
        if (serverSize < 0)
            return {Kind::Complete, -1};
    } else if (status == 206) {
        if (const auto range = net::parseContentRange(contentRange))
            serverSize = range->total;
    } else if (status == 200) {
        bool ok = false;
        const qint64 length = net::headerValue(headers, "Content-Length").trimmed().toLongLong(&ok);
        serverSize = ok && length >= 0 ? length : -1;
    } else {
        return {Kind::NotABody, -1};
    }
    if (serverSize < 0)
        return {Kind::Unknown, -1};
    return {serverSize == size ? Kind::Complete : Kind::Differs, serverSize};
}

} // namespace vigil::fetch
