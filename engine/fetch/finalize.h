// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

#include <functional>
#include <memory>
#include <stop_token>
#include <utility>

namespace vigil::compute {
class SequentialHasher;
}

namespace vigil::io {
class Folder;
}

namespace vigil::fetch {

class PartFile;

/// @brief What a complete partial file must be before it gets its final name.
struct FinalizeJob {
    QString finalName;        ///< in the part file's folder
    qint64 expectedSize = -1; ///< -1: the server did not say
    QString sha256;           ///< expected digest (hex), or empty for no check
    /// The digest computed while the bytes arrived; null to hash the file now (it was complete on
    /// disk before this run).
    std::unique_ptr<compute::SequentialHasher> hasher;
    bool overwrite = false;
};

/// @brief How finalizing ended: an error for the user, or the final path and size.
struct FinalizeResult {
    QString error; ///< empty when the file now has its final name
    QString path;
    qint64 size = 0;
};

/// Checks @p part's size and SHA-256 (hashing off the GUI thread), then renames it atomically to
/// its final name, never over an existing file unless @p job allows overwriting. A file that
/// fails its checksum, or whose name would leave the folder, is removed so a rerun starts clean;
/// other failures keep it. @p onVerifying is called before a
/// checksum is awaited.
[[nodiscard]] QCoro::Task<FinalizeResult> finalizeDownload(PartFile &part, FinalizeJob job,
                                                           std::function<void()> onVerifying);

/// {SHA-256, error} of @p name in @p folder, hashed on the compute pool through a descriptor
/// opened like the downloads' writes (never through a planted symlink). A stop on @p stop ends
/// the hash between chunks, with an empty digest.
[[nodiscard]] QCoro::Task<std::pair<QString, QString>>
sha256InFolder(std::shared_ptr<const io::Folder> folder, QString name, std::stop_token stop = {});

/// SHA-256 of a file, read in 1 MiB chunks; empty with @p error when it cannot be read.
[[nodiscard]] QString sha256OfFile(const QString &path, QString *error);
/// SHA-256 of what is left to read from @p fd, read in 1 MiB chunks; empty with @p error when
/// @p stop is requested before the end (checked before each chunk).
[[nodiscard]] QString sha256OfFd(int fd, QString *error, const std::stop_token &stop = {});

} // namespace vigil::fetch
