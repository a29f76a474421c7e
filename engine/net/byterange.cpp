// SPDX-License-Identifier: Apache-2.0
#include "byterange.h"

#include "util/digits.h"

#include <QByteArray>

namespace vigil::net {

namespace {
constexpr auto parseCount = [](QByteArrayView digits) { return util::parseDigits(digits); };
} // namespace

std::optional<ByteRange> parseRangeHeader(QByteArrayView header, qint64 size) {
    const QByteArrayView h = header.trimmed();
    if (!h.startsWith("bytes=") || size <= 0)
        return std::nullopt;
    const QByteArrayView spec = h.sliced(6).trimmed();
    if (spec.contains(','))
        return std::nullopt;
    const qsizetype dash = spec.indexOf('-');
    if (dash < 0)
        return std::nullopt;
    const QByteArrayView from = spec.first(dash).trimmed();
    const QByteArrayView to = spec.sliced(dash + 1).trimmed();
    if (from.isEmpty()) { // suffix: the last N bytes
        const auto n = parseCount(to);
        if (!n || *n == 0)
            return std::nullopt;
        return ByteRange{std::max<qint64>(0, size - *n), size - 1};
    }
    const auto first = parseCount(from);
    if (!first || *first >= size)
        return std::nullopt;
    if (to.isEmpty())
        return ByteRange{*first, size - 1};
    const auto last = parseCount(to);
    if (!last || *last < *first)
        return std::nullopt;
    return ByteRange{*first, std::min(*last, size - 1)};
}

std::optional<ContentRange> parseContentRange(QByteArrayView header) {
    const QByteArrayView h = header.trimmed();
    if (!h.startsWith("bytes "))
        return std::nullopt;
    const QByteArrayView spec = h.sliced(6).trimmed();
    const qsizetype slash = spec.indexOf('/');
    const qsizetype dash = spec.indexOf('-');
    if (slash < 0 || dash < 0 || dash > slash)
        return std::nullopt;
    const auto first = parseCount(spec.first(dash));
    const auto last = parseCount(spec.sliced(dash + 1, slash - dash - 1));
    if (!first || !last || *last < *first)
        return std::nullopt;
    const QByteArrayView totalText = spec.sliced(slash + 1);
    qint64 total = -1;
    if (totalText != "*") {
        const auto t = parseCount(totalText);
        if (!t || *t <= *last)
            return std::nullopt;
        total = *t;
    }
    return ContentRange{{*first, *last}, total};
}

} // namespace vigil::net
