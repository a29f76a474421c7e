#pragma once

#include "net/httptypes.h"

namespace vigil::fetch {

/// The Range and If-Range headers that ask for the rest of a partial file of @p existing bytes.
/// If-Range carries the ETag, else the Last-Modified date, so a changed file comes back whole.
[[nodiscard]] net::RawHeaders resumeHeaders(qint64 existing, const QString &etag,
                                            const QString &lastModified);

/// @brief How an answer's status and headers fit the partial file on disk.
struct ResumeDecision {
    enum class Kind {
        Write,           ///< write the body at `offset`
        AlreadyComplete, ///< a 416 for a file whose bytes are all on disk already
        Restart,         ///< a range that was not asked for: drop the partial file, ask again
        NotABody,        ///< an error status: nothing to write, the client reports it
    };
    Kind kind = Kind::NotABody;
    qint64 offset = 0; ///< where the body's first byte goes: the bytes on disk on a 206, else 0
    qint64 total = -1; ///< the whole file's size, -1 while unknown
};

/// Decides what to do with an answer to a request sent with resumeHeaders(@p existing, …)
/// (or none when @p existing is 0). @p knownTotal is the full size recorded with the partial
/// file, -1 when unknown.
[[nodiscard]] ResumeDecision decideResume(int status, const net::RawHeaders &headers,
                                          qint64 existing, qint64 knownTotal);

} // namespace vigil::fetch
