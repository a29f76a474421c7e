// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <utility>

namespace vigil::fuzz {

/// The fuzzer's bytes, and the same split at the first newline for two-part inputs.
inline QByteArrayView bytes(const uint8_t *data, size_t size) {
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

inline std::pair<QString, QString> twoParts(const uint8_t *data, size_t size) {
    const QByteArray all = bytes(data, size).toByteArray();
    const qsizetype nl = all.indexOf('\n');
    if (nl < 0)
        return {QString::fromUtf8(all), QString()};
    return {QString::fromUtf8(all.left(nl)), QString::fromUtf8(all.mid(nl + 1))};
}

} // namespace vigil::fuzz
