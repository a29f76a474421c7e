// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

#include <sys/types.h>

#include <memory>
#include <optional>

namespace vigil::io {

/// @brief Owns one POSIX file descriptor and closes it once, when it goes out of scope.
class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd)
        : m_fd(fd) {}
    UniqueFd(UniqueFd &&other) noexcept
        : m_fd(other.release()) {}
    UniqueFd &operator=(UniqueFd &&other) noexcept;
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;
    ~UniqueFd();

    [[nodiscard]] int get() const { return m_fd; }
    [[nodiscard]] bool isValid() const { return m_fd >= 0; }
    [[nodiscard]] int release();
    /// Closes now; false with @p error (strerror) when close(2) reports a lost write.
    bool close(QString *error);

private:
    int m_fd = -1;
};

/// @brief What lstat(2) says about a name: the name itself, never what a symlink points to.
struct FileStatus {
    bool exists = false;
    bool regular = false; ///< a plain file: not a symlink, device, FIFO, socket or folder
    bool ours = false;    ///< owned by this process's user
    bool single = false;  ///< one hard link: no other name in any folder writes the same data
    qint64 size = 0;
    dev_t device = 0;
    ino_t inode = 0;

    /// A file Vigil may write, append to, rename or read back as its own.
    [[nodiscard]] bool isSafe() const { return exists && regular && ours && single; }
    [[nodiscard]] bool sameFile(const FileStatus &o) const {
        return exists && o.exists && device == o.device && inode == o.inode;
    }
};

/// What fstat(2) says about an open file; `exists` is false when it fails.
[[nodiscard]] FileStatus statusOf(int fd);

/// @brief An open folder that every file operation of a download run goes through by name
/// (openat, renameat, unlinkat), so a symlink planted in its place, or in place of a file
/// in it, is never followed.
///
/// Owns the directory descriptor. Names are single path components. Errors are full sentences
/// naming the file, with strerror's text ("No space left on device"). Any thread.
class Folder {
public:
    /// Opens @p path as a folder; null with @p error when it is not one or cannot be opened.
    [[nodiscard]] static std::unique_ptr<Folder> open(const QString &path, QString *error);

    [[nodiscard]] const QString &path() const { return m_path; }
    /// @p name joined to the folder's path, for messages.
    [[nodiscard]] QString filePath(const QString &name) const;

    [[nodiscard]] FileStatus status(const QString &name) const;

    /// Opens @p name to write: appended to when @p append, else emptied or created. Never
    /// follows a symlink, never creates over a name that appeared meanwhile (O_EXCL), and refuses
    /// anything but a single-linked regular file of this user. Invalid with @p error otherwise.
    [[nodiscard]] UniqueFd openForWriting(const QString &name, bool append, QString *error) const;
    /// Opens @p name to read under the same rules.
    [[nodiscard]] UniqueFd openForReading(const QString &name, QString *error) const;
    /// Reads @p name whole when it is at most @p maxBytes; nullopt with @p error otherwise.
    [[nodiscard]] std::optional<QByteArray> readSmall(const QString &name, qint64 maxBytes,
                                                      QString *error) const;
    /// Replaces @p name with a new file holding @p bytes, created with @p mode (0600 for a file
    /// that names URLs). Whatever had the name (a symlink included) is unlinked, not followed.
    bool replaceWith(const QString &name, const QByteArray &bytes, mode_t mode,
                     QString *error) const;

    /// Renames @p from to @p to, atomically. Unless @p replace, an existing @p to is kept and the
    /// rename fails (RENAME_NOREPLACE: no window between a check and the rename).
    bool rename(const QString &from, const QString &to, bool replace, QString *error) const;
    /// Unlinks @p name (a symlink itself, never its target); a missing name is no error.
    bool remove(const QString &name, QString *error = nullptr) const;

    /// Writes all of @p bytes to @p fd, retrying short writes; false with @p error naming
    /// @p what and strerror's text.
    static bool writeAll(int fd, const char *bytes, qint64 size, const QString &what,
                         QString *error);

private:
    Folder(UniqueFd fd, QString path)
        : m_fd(std::move(fd))
        , m_path(std::move(path)) {}
    [[nodiscard]] UniqueFd openChecked(const QString &name, int flags, bool create,
                                       QString *error) const;

    UniqueFd m_fd;
    QString m_path;
};

} // namespace vigil::io
