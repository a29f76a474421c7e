// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>

#include <zlib.h>

namespace vigil::test {

/// @p size bytes of @p pattern repeated.
inline QByteArray repeated(qint64 size, QByteArrayView pattern = "vigil ") {
    QByteArray out;
    out.reserve(size);
    while (out.size() < size)
        out += pattern.toByteArray();
    out.truncate(size);
    return out;
}

/// @brief A gzip stream of @p size bytes of @p pattern repeated (from the start of every MiB), made
/// in 1 MiB steps so a test can build a gigabyte bomb without holding the gigabyte.
inline QByteArray gzipOfRepeated(qint64 size, QByteArrayView pattern = "vigil ") {
    QByteArray block = repeated(1 << 20, pattern);
    z_stream z{};
    deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    QByteArray out;
    char buffer[64 * 1024];
    for (qint64 left = size; left > 0 || z.avail_in > 0;) {
        const qint64 step = std::min<qint64>(left, block.size());
        z.next_in = reinterpret_cast<Bytef *>(block.data());
        z.avail_in = uInt(step);
        left -= step;
        const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = reinterpret_cast<Bytef *>(buffer);
            z.avail_out = sizeof buffer;
            deflate(&z, flush);
            out.append(buffer, qsizetype(sizeof buffer - z.avail_out));
        } while (z.avail_out == 0);
        if (flush == Z_FINISH)
            break;
    }
    deflateEnd(&z);
    return out;
}

} // namespace vigil::test
