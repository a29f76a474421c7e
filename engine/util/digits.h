// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArrayView>
#include <QtGlobal>

#include <optional>

namespace vigil::util {

/// Parses a run of ASCII digits only: no sign, no spaces, between @p minLen and @p maxLen
/// characters (at most 18, so the value always fits). The strict form header grammars need.
[[nodiscard]] inline std::optional<qint64> parseDigits(QByteArrayView text, qsizetype minLen = 1,
                                                       qsizetype maxLen = 18) {
    if (text.size() < minLen || text.size() > std::min<qsizetype>(maxLen, 18))
        return std::nullopt;
    qint64 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

} // namespace vigil::util
