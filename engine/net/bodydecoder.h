// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

namespace vigil::net {

/// @brief Undoes a gzip or deflate Content-Encoding as the body arrives, so the decoded size is
/// capped chunk by chunk: a small bomb never becomes a large buffer.
///
/// Vigil decodes API bodies itself instead of letting Qt do it: Qt decodes on its own thread ahead
/// of any cap, and its bomb check fails honest bodies with no reason given.
class BodyDecoder {
public:
    enum class Result { Ok, Corrupt, PastLimit };

    /// A decoder for @p coding ("gzip", "x-gzip", "deflate"), or nullptr for any other.
    [[nodiscard]] static std::unique_ptr<BodyDecoder> forCoding(QByteArrayView coding);
    ~BodyDecoder();
    BodyDecoder(const BodyDecoder &) = delete;
    BodyDecoder &operator=(const BodyDecoder &) = delete;

    /// Appends what @p chunk decodes to onto @p out. PastLimit as soon as this call's output would
    /// pass @p room bytes; Corrupt when the data is not valid (error() says why).
    [[nodiscard]] Result decode(QByteArrayView chunk, QByteArray &out, qint64 room);
    /// False when bytes were fed but the compressed stream has not ended: the body was cut.
    [[nodiscard]] bool complete() const { return m_fed == 0 || m_ended; }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] QByteArray coding() const { return m_coding; }

private:
    explicit BodyDecoder(QByteArray coding);
    struct Stream;
    std::unique_ptr<Stream> m_stream;
    QByteArray m_coding;
    QString m_error;
    qint64 m_fed = 0;
    bool m_ended = false;
};

} // namespace vigil::net
