// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace vigil::util {

/// @p text with every control character (C0, DEL, C1) replaced by U+FFFD, so text a server
/// chose (a reason phrase, a file name) cannot move the cursor, set the terminal's title or
/// hide itself when it is printed or shown.
[[nodiscard]] inline QString printable(QString text) {
    for (QChar &c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7f && u <= 0x9f))
            c = QChar(QChar::ReplacementCharacter);
    }
    return text;
}

} // namespace vigil::util
