#pragma once

#include <QByteArrayView>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace vigil::fetch {

/// A file name from a server or a URL made safe: no folders, no "..", no NUL or control
/// characters, no characters that are illegal on common file systems, no reserved device names
/// (CON, NUL, …), at most 200 bytes. Empty when nothing usable is left.
[[nodiscard]] QString sanitizeFileName(const QString &name);

/// The last path segment of @p url, decoded and sanitized (empty for "…/").
[[nodiscard]] QString fileNameFromUrl(const QUrl &url);

/// The file name in a Content-Disposition header: filename*= (RFC 5987, UTF-8) wins over
/// filename=. Not sanitized.
[[nodiscard]] QString fileNameFromContentDisposition(QByteArrayView header);

/// @brief The lines of a `sha256sum` file: file name → lowercase hex digest.
struct Sha256List {
    QHash<QString, QString> digests;
    QStringList problems;    ///< "line 3: …" for every line that is not a checksum line
    QList<int> problemLines; ///< the line number of each problem, in the same order
};
[[nodiscard]] Sha256List parseSha256Sums(QByteArrayView text);

/// True for 64 hex digits.
[[nodiscard]] bool isSha256Hex(const QString &text);

/// Parses a rate like 500K, 2M, 1G or 12345 (bytes per second; K = 1024). nullopt when invalid.
[[nodiscard]] std::optional<qint64> parseByteRate(const QString &text);

} // namespace vigil::fetch
