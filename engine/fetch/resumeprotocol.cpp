#include "resumeprotocol.h"

#include "net/byterange.h"

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

} // namespace vigil::fetch
