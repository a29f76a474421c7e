// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/folder.h"

#include <QString>
#include <QUrl>

#include <memory>

namespace vigil::fetch {

/// @brief What the sidecar remembers about a partial file, so a later run resumes only the same
/// resource.
struct PartMeta {
    QString url; ///< as sidecarUrl() writes it: no user-info, secret query values REDACTED
    QString etag;
    QString lastModified;
    qint64 total = -1; ///< the whole file's size, -1 when the server did not say
};

/// @brief One download's partial data on disk: `NAME.part` and its sidecar `NAME.part.json`,
/// both reached through the run's open folder and never through a symlink.
///
/// Owns the open file while an attempt writes it. A null PartFile (no name yet: the name comes
/// with the answer's headers) reads as empty.
class PartFile {
public:
    PartFile() = default;
    /// The partial file `@p stem.part` in @p folder.
    PartFile(std::shared_ptr<const io::Folder> folder, const QString &stem);

    [[nodiscard]] bool isNull() const { return !m_folder || m_name.isEmpty(); }
    [[nodiscard]] const std::shared_ptr<const io::Folder> &folder() const { return m_folder; }
    /// The data file's path, for messages.
    [[nodiscard]] QString path() const;

    /// The URL as a sidecar records it (util::redactedUrlText): no user-info, and secret-looking
    /// query values REDACTED, so no password or key reaches the disk.
    [[nodiscard]] static QString sidecarUrl(const QUrl &url);

    /// Reads the sidecar and returns how many bytes on disk a request for @p url can resume from.
    /// Data left by another URL (or without a sidecar) is removed, and the answer is 0. A name
    /// that is not our own regular file (a symlink, say) is left alone: open() refuses it.
    qint64 resumableBytes(const QUrl &url);
    /// The sidecar as resumableBytes() read it.
    [[nodiscard]] const PartMeta &meta() const { return m_meta; }

    /// Opens the file to write from @p offset (append when > 0, else empty it) and records
    /// @p meta in the sidecar (mode 0600). False with @p error when the file cannot be opened or
    /// is not a single-linked regular file of this user.
    bool open(qint64 offset, const PartMeta &meta, QString *error);
    [[nodiscard]] bool isOpen() const { return m_fd.isValid(); }
    bool write(const QByteArray &chunk, QString *error);
    /// Closes an open file. False with @p error when the last bytes did not make it.
    bool close(QString *error);

    [[nodiscard]] qint64 size() const;
    /// The data file opened to read back (hashing), under the same rules as open().
    [[nodiscard]] io::UniqueFd openForReading(QString *error) const;
    /// Renames the data to @p finalName in the same folder (replacing a file of that name only
    /// when @p replace) and drops the sidecar. Refuses when the data's name no longer holds the
    /// file this PartFile wrote.
    bool commit(const QString &finalName, bool replace, QString *error);
    /// Removes the data and the sidecar: a cancelled or corrupt download leaves nothing.
    void remove();
    /// Removes the sidecar alone, once the data has its final name.
    void removeSidecar();

private:
    [[nodiscard]] QString sidecarName() const { return m_name + QStringLiteral(".json"); }

    std::shared_ptr<const io::Folder> m_folder;
    QString m_name;         ///< STEM.part
    io::UniqueFd m_fd;      ///< while an attempt writes
    io::FileStatus m_wrote; ///< the file open() opened, to tell it from one put in its place
    PartMeta m_meta;
};

} // namespace vigil::fetch
