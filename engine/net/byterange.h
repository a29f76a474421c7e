// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArrayView>
#include <QtGlobal>

#include <optional>

namespace vigil::net {

/// @brief A satisfiable byte range of a resource of known size: [first, last], inclusive.
struct ByteRange {
    qint64 first = 0;
    qint64 last = 0;
    [[nodiscard]] qint64 length() const { return last - first + 1; }
    bool operator==(const ByteRange &) const = default;
};

/// Parses a single-range `Range: bytes=…` header against a resource of @p size bytes
/// ("bytes=100-", "bytes=100-199", "bytes=-50"). nullopt for anything else, including
/// multi-range requests and ranges that start past the end (the server then sends the whole body
/// or 416).
[[nodiscard]] std::optional<ByteRange> parseRangeHeader(QByteArrayView header, qint64 size);

/// @brief A parsed `Content-Range: bytes first-last/total` (total is -1 for "*").
struct ContentRange {
    ByteRange range;
    qint64 total = -1;
    bool operator==(const ContentRange &) const = default;
};

[[nodiscard]] std::optional<ContentRange> parseContentRange(QByteArrayView header);

} // namespace vigil::net
