// SPDX-License-Identifier: Apache-2.0
// sha256sum files come from users, file names from servers: names must never escape a folder.
#include "fuzzinput.h"

#include "fetch/downloadnames.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    using namespace vigil::fetch;
    const auto text = vigil::fuzz::bytes(data, size);
    (void)parseSha256Sums(text);
    (void)parseByteRate(QString::fromUtf8(text));
    for (const QString &name : {QString::fromUtf8(text), fileNameFromContentDisposition(text)}) {
        const QString safe = sanitizeFileName(name);
        if (safe.contains(u'/') || safe.contains(u'\\') || safe == QLatin1String("..") ||
            safe.startsWith(u'.') || safe.contains(QChar(0)) || safe.toUtf8().size() > 200)
            __builtin_trap();
    }
    return 0;
}
