#pragma once

#include <QFile>
#include <QString>
#include <QUrl>

#include <memory>

namespace vigil::fetch {

/// @brief What the sidecar remembers about a partial file, so a later run resumes only the same
/// resource.
struct PartMeta {
    QString url;
    QString etag;
    QString lastModified;
    qint64 total = -1; ///< the whole file's size, -1 when the server did not say
};

/// @brief One download's partial data on disk: `NAME.part` and its sidecar `NAME.part.json`.
///
/// Owns the open file while an attempt writes it. A null PartFile (no path yet: the name comes
/// with the answer's headers) reads as empty.
class PartFile {
public:
    PartFile() = default;
    explicit PartFile(QString path);

    [[nodiscard]] bool isNull() const { return m_path.isEmpty(); }
    [[nodiscard]] QString path() const { return m_path; }
    [[nodiscard]] QString sidecarPath() const { return m_path + QStringLiteral(".json"); }

    /// Reads the sidecar and returns how many bytes on disk a request for @p url can resume from.
    /// Data left by another URL (or without a sidecar) is removed, and the answer is 0.
    qint64 resumableBytes(const QUrl &url);
    /// The sidecar as resumableBytes() read it.
    [[nodiscard]] const PartMeta &meta() const { return m_meta; }

    /// Opens the file to write from @p offset (append when > 0, else truncate) and records
    /// @p meta in the sidecar. False with @p error when the file cannot be opened.
    bool open(qint64 offset, const PartMeta &meta, QString *error);
    [[nodiscard]] bool isOpen() const { return m_file && m_file->isOpen(); }
    bool write(const QByteArray &chunk, QString *error);
    /// Flushes and closes an open file. False with @p error when the last bytes did not make it.
    bool close(QString *error);

    [[nodiscard]] qint64 size() const;
    /// Removes the data and the sidecar: a cancelled or corrupt download leaves nothing.
    void remove();
    /// Removes the sidecar alone, once the data has its final name.
    void removeSidecar();

private:
    QString m_path;
    std::unique_ptr<QFile> m_file; ///< while an attempt writes (QFile cannot move; PartFile can)
    PartMeta m_meta;
};

} // namespace vigil::fetch
