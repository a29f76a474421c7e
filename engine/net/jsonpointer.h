// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonValue>
#include <QString>

#include <optional>

namespace vigil::net {

/// Evaluates an RFC 6901 JSON pointer ("/PropertyTable/Properties/0/IUPACName") against @p root.
/// On failure returns nullopt and, if @p error is given, a message that names the failing step.
[[nodiscard]] std::optional<QJsonValue>
evaluateJsonPointer(const QJsonValue &root, QStringView pointer, QString *error = nullptr);

/// Checks a pointer's syntax without a document; empty string when it is well-formed.
[[nodiscard]] QString jsonPointerSyntaxError(QStringView pointer);

/// A JSON value as table text: strings as they are, numbers without trailing zeros, objects
/// and arrays as compact JSON.
[[nodiscard]] QString jsonValueText(const QJsonValue &value);

} // namespace vigil::net
