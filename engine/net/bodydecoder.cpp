// SPDX-License-Identifier: Apache-2.0
#include "bodydecoder.h"

#include <zlib.h>

#include <array>

namespace vigil::net {

struct BodyDecoder::Stream {
    z_stream z{};
};

std::unique_ptr<BodyDecoder> BodyDecoder::forCoding(QByteArrayView coding) {
    const QByteArray name = coding.toByteArray().trimmed().toLower();
    if (name != "gzip" && name != "x-gzip" && name != "deflate")
        return nullptr;
    return std::unique_ptr<BodyDecoder>(new BodyDecoder(name));
}

BodyDecoder::BodyDecoder(QByteArray coding)
    : m_stream(std::make_unique<Stream>())
    , m_coding(std::move(coding)) {
    // 15 + 32: zlib finds out itself whether a gzip or a zlib header follows.
    if (inflateInit2(&m_stream->z, 15 + 32) != Z_OK)
        m_error = QStringLiteral("the decompressor could not start");
}

BodyDecoder::~BodyDecoder() {
    inflateEnd(&m_stream->z);
}

BodyDecoder::Result BodyDecoder::decode(QByteArrayView chunk, QByteArray &out, qint64 room) {
    if (!m_error.isEmpty())
        return Result::Corrupt;
    m_fed += chunk.size();
    z_stream &z = m_stream->z;
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(chunk.data()));
    z.avail_in = uInt(chunk.size());
    std::array<char, 64 * 1024> buffer;
    qint64 produced = 0;
    for (;;) {
        if (m_ended) {
            if (z.avail_in == 0)
                break;
            inflateReset(&z); // a second gzip member follows the first (RFC 1952, 2.2)
            m_ended = false;
        }
        z.next_out = reinterpret_cast<Bytef *>(buffer.data());
        z.avail_out = uInt(buffer.size());
        const int status = inflate(&z, Z_NO_FLUSH);
        const qint64 got = qint64(buffer.size() - z.avail_out);
        if (status == Z_NEED_DICT || status == Z_DATA_ERROR || status == Z_MEM_ERROR ||
            status == Z_STREAM_ERROR) {
            m_error = QString::fromLatin1(z.msg ? z.msg : "corrupt data");
            return Result::Corrupt;
        }
        produced += got;
        if (produced > room)
            return Result::PastLimit;
        out.append(buffer.data(), qsizetype(got));
        m_ended = status == Z_STREAM_END;
        // Done when all input is used and no output is pending, or when no progress is possible.
        if ((z.avail_in == 0 && z.avail_out > 0) || status == Z_BUF_ERROR)
            break;
    }
    return Result::Ok;
}

} // namespace vigil::net
