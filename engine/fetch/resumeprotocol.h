// SPDX-License-Identifier: Apache-2.0
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

/// The header that asks whether a file of @p size bytes, already under its final name, is all of
/// the server's: `Range: bytes=SIZE-` (curl -C - sends the same). A complete file gets a 416 and
/// no body; a server without ranges answers 200, whose Content-Length is compared instead.
[[nodiscard]] net::RawHeaders existingFileProbe(qint64 size);

/// @brief What the answer to existingFileProbe() says about the file on disk.
struct ExistingFileVerdict {
    enum class Kind {
        Complete, ///< the server's file has exactly the bytes on disk
        Differs,  ///< the server's file has another size
        Unknown,  ///< the server did not say its size
        NotABody, ///< an error status: the client reports it
    };
    Kind kind = Kind::NotABody;
    qint64 serverSize = -1; ///< -1 when the server did not say
};

/// Judges the answer (@p status, @p headers) to existingFileProbe(@p size). A 416 without a
/// Content-Range counts as complete, as curl -C - counts it.
[[nodiscard]] ExistingFileVerdict judgeExistingFile(int status, const net::RawHeaders &headers,
                                                    qint64 size);

} // namespace vigil::fetch
