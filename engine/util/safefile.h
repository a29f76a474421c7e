// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArrayView>
#include <QString>

namespace vigil::util {

/// @p url (or a URL template) as files may keep it: user-info ("user:password@") removed, and the
/// value of each query parameter with a secret-looking name (api_key=, token=, …, see
/// net::isSecretQueryName) replaced by REDACTED. Works on the text, so templates that are not valid
/// URLs yet are redacted too.
[[nodiscard]] QString redactedUrlText(const QString &url);

/// Why @p path cannot be used as a file to read whole or append to: it exists and is not a
/// regular file (a device such as /dev/zero, a FIFO, a socket or a folder, which can be endless
/// or block forever). Empty when it is a regular file or does not exist.
[[nodiscard]] QString notRegularFileProblem(const QString &path);

/// Writes all of @p bytes to the descriptor @p fd. False with @p reason, the system's words
/// ("No space left on device", "File too large"), when it cannot: QFile would say "Unknown error"
/// and, buffered, say it only at close.
[[nodiscard]] bool writeAll(int fd, QByteArrayView bytes, QString *reason);

} // namespace vigil::util
