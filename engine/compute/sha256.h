// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace vigil::compute {

/// @brief SHA-256 through OpenSSL, which uses the CPU's SHA instructions where it has them:
/// several times faster than QCryptographicHash, and verification is the hot path of downloads.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void addData(QByteArrayView data);
    /// The digest as lowercase hex; the hash cannot be extended afterwards.
    [[nodiscard]] QByteArray hexResult();

private:
    struct Context;
    std::unique_ptr<Context> m_ctx;
};

} // namespace vigil::compute
