// SPDX-License-Identifier: Apache-2.0
// First line: a JSON pointer; the rest: a document. Pointers come from forms and dashboard files.
#include "fuzzinput.h"

#include "net/jsonpointer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const auto [pointer, document] = vigil::fuzz::twoParts(data, size);
    const QJsonDocument doc = QJsonDocument::fromJson(document.toUtf8());
    const QJsonValue root = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    QString error;
    const auto value = vigil::net::evaluateJsonPointer(root, pointer, &error);
    if (!value && error.isEmpty())
        __builtin_trap();
    if (value)
        (void)vigil::net::jsonValueText(*value);
    (void)vigil::net::jsonPointerSyntaxError(pointer);
    return 0;
}
