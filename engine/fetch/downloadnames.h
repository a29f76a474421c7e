// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArrayView>
#include <QHash>
#include <QSet>
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
/// The name of item @p index (from 0) when neither the user, the URL nor the server names it.
[[nodiscard]] QString fallbackFileName(int index);

/// The file name in a Content-Disposition header: filename*= (RFC 5987, UTF-8) wins over
/// filename=. Not sanitized.
[[nodiscard]] QString fileNameFromContentDisposition(QByteArrayView header);

/// @brief The file names one download run claims in its folder, so that no item's data, sidecar
/// or final name is ever another item's.
///
/// Each item holds a stem for its partial data (STEM.part, STEM.part.json) and a final name. A
/// name another item holds comes back numbered: data.bin → data-2.bin. Server names arrive with
/// the headers, long after the part stems were claimed, so every claim checks the whole batch.
class BatchNames {
public:
    /// Claims STEM, STEM.part and STEM.part.json for @p owner, and makes STEM its final name;
    /// returns STEM, which is @p stem, numbered when taken. Empty for an empty @p stem.
    QString claimPart(int owner, const QString &stem);
    /// Claims @p name (numbered when taken) as @p owner's final name, in place of its previous
    /// one, and returns it. The same owner asking again gets the same answer.
    QString claimFinal(int owner, const QString &name);

private:
    [[nodiscard]] bool freeFor(int owner, const QStringList &names) const;
    void setFinal(int owner, const QString &name);

    QHash<QString, int> m_owners; ///< file name → the item holding it
    QHash<int, QString> m_finals; ///< item → its final name
    QSet<QString> m_partFiles;    ///< every STEM.part and STEM.part.json: never a final name
};

/// @brief The lines of a `sha256sum` file: file name → lowercase hex digest.
struct Sha256List {
    QHash<QString, QString> digests;
    QStringList problems;    ///< "line 3: …" for every line that is not a checksum line
    QList<int> problemLines; ///< the line number of each problem, in the same order
};
[[nodiscard]] Sha256List parseSha256Sums(QByteArrayView text);

/// True for 64 hex digits.
[[nodiscard]] bool isSha256Hex(const QString &text);

/// Parses a byte count or rate like 500K, 2M, 1.5G or 12345: K, M, G are 10^3, 10^6, 10^9
/// (2M is 2 MB/s, as the summary's mb_per_s counts); Ki, Mi, Gi are 2^10, 2^20, 2^30; a trailing
/// B is allowed (2MB, 2MiB). nullopt when invalid.
[[nodiscard]] std::optional<qint64> parseByteRate(const QString &text);

} // namespace vigil::fetch
