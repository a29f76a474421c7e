// SPDX-License-Identifier: Apache-2.0
#include "folder.h"

#include "util/safefile.h"

#include <QFile>

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

namespace vigil::io {

namespace {
QString errnoText(int code) {
    return qt_error_string(code); // strerror's words: "No space left on device"
}

QByteArray encoded(const QString &name) {
    return QFile::encodeName(name);
}

FileStatus fromStat(const struct stat &st) {
    FileStatus s;
    s.exists = true;
    s.regular = S_ISREG(st.st_mode);
    s.ours = st.st_uid == ::geteuid();
    s.single = st.st_nlink == 1;
    s.size = qint64(st.st_size);
    s.device = st.st_dev;
    s.inode = st.st_ino;
    return s;
}

/// Why a file that exists is not one Vigil may use, or empty when it is.
QString refusal(const FileStatus &s) {
    if (!s.regular)
        return QStringLiteral("it is not a regular file");
    if (!s.ours)
        return QStringLiteral("it belongs to another user");
    if (!s.single)
        return QStringLiteral("it has other hard links");
    return {};
}
} // namespace

FileStatus statusOf(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 ? fromStat(st) : FileStatus{};
}

UniqueFd &UniqueFd::operator=(UniqueFd &&other) noexcept {
    if (this != &other) {
        QString ignored;
        close(&ignored);
        m_fd = other.release();
    }
    return *this;
}

UniqueFd::~UniqueFd() {
    if (m_fd >= 0)
        ::close(m_fd);
}

int UniqueFd::release() {
    return std::exchange(m_fd, -1);
}

bool UniqueFd::close(QString *error) {
    if (m_fd < 0)
        return true;
    // Linux releases the descriptor even when close(2) fails: never retry it.
    const int result = ::close(std::exchange(m_fd, -1));
    if (result != 0 && errno != EINTR) {
        *error = errnoText(errno);
        return false;
    }
    return true;
}

std::unique_ptr<Folder> Folder::open(const QString &path, QString *error) {
    UniqueFd fd(::open(encoded(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.isValid()) {
        *error = QStringLiteral("cannot open the folder %1: %2").arg(path, errnoText(errno));
        return nullptr;
    }
    return std::unique_ptr<Folder>(new Folder(std::move(fd), path));
}

QString Folder::filePath(const QString &name) const {
    return m_path.endsWith(u'/') ? QString(m_path + name) : QString(m_path + u'/' + name);
}

FileStatus Folder::status(const QString &name) const {
    struct stat st {};
    if (::fstatat(m_fd.get(), encoded(name).constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return {};
    return fromStat(st);
}

UniqueFd Folder::openChecked(const QString &name, int flags, bool create, QString *error) const {
    // O_NONBLOCK: a FIFO planted under the name must not block the open; it is refused below.
    const int base = flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
    const QByteArray n = encoded(name);
    UniqueFd fd(::openat(m_fd.get(), n.constData(), base));
    if (!fd.isValid() && errno == ENOENT && create)
        fd = UniqueFd(::openat(m_fd.get(), n.constData(), base | O_CREAT | O_EXCL, 0666));
    if (!fd.isValid()) {
        const int code = errno;
        if (code == ELOOP)
            *error =
                QStringLiteral("refusing to use %1: it is a symbolic link").arg(filePath(name));
        else if (code == ENXIO) // a FIFO or socket with nobody at the other end
            *error =
                QStringLiteral("refusing to use %1: it is not a regular file").arg(filePath(name));
        else if (code == EEXIST)
            *error = QStringLiteral("refusing to use %1: it appeared while Vigil was creating it")
                         .arg(filePath(name));
        else
            *error = QStringLiteral("cannot open %1: %2").arg(filePath(name), errnoText(code));
        return {};
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
        *error = QStringLiteral("cannot open %1: %2").arg(filePath(name), errnoText(errno));
        return {};
    }
    if (const QString why = refusal(fromStat(st)); !why.isEmpty()) {
        *error = QStringLiteral("refusing to use %1: %2").arg(filePath(name), why);
        return {};
    }
    ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
    return fd;
}

UniqueFd Folder::openForWriting(const QString &name, bool append, QString *error) const {
    UniqueFd fd = openChecked(name, O_WRONLY | (append ? O_APPEND : 0), !append, error);
    // Emptied only once it is known to be our own regular file.
    if (fd.isValid() && !append && ::ftruncate(fd.get(), 0) != 0) {
        *error = QStringLiteral("cannot write %1: %2").arg(filePath(name), errnoText(errno));
        return {};
    }
    return fd;
}

UniqueFd Folder::openForReading(const QString &name, QString *error) const {
    return openChecked(name, O_RDONLY, false, error);
}

std::optional<QByteArray> Folder::readSmall(const QString &name, qint64 maxBytes,
                                            QString *error) const {
    const UniqueFd fd = openForReading(name, error);
    if (!fd.isValid())
        return std::nullopt;
    QByteArray bytes;
    char buffer[16384];
    while (true) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *error = QStringLiteral("cannot read %1: %2").arg(filePath(name), errnoText(errno));
            return std::nullopt;
        }
        if (n == 0)
            return bytes;
        bytes.append(buffer, n);
        if (bytes.size() > maxBytes) {
            *error = QStringLiteral("%1 is larger than %2 bytes").arg(filePath(name)).arg(maxBytes);
            return std::nullopt;
        }
    }
}

bool Folder::replaceWith(const QString &name, const QByteArray &bytes, mode_t mode,
                         QString *error) const {
    if (!remove(name, error))
        return false;
    const QByteArray n = encoded(name);
    UniqueFd fd(::openat(m_fd.get(), n.constData(),
                         O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!fd.isValid()) {
        *error = QStringLiteral("cannot write %1: %2").arg(filePath(name), errnoText(errno));
        return false;
    }
    if (!writeAll(fd.get(), bytes.constData(), bytes.size(), filePath(name), error))
        return false;
    QString closeError;
    if (!fd.close(&closeError)) {
        *error = QStringLiteral("cannot write %1: %2").arg(filePath(name), closeError);
        return false;
    }
    return true;
}

bool Folder::rename(const QString &from, const QString &to, bool replace, QString *error) const {
    const QByteArray f = encoded(from);
    const QByteArray t = encoded(to);
    int result = replace ? ::renameat(m_fd.get(), f.constData(), m_fd.get(), t.constData())
                         : ::renameat2(m_fd.get(), f.constData(), m_fd.get(), t.constData(),
                                       RENAME_NOREPLACE);
    if (result != 0 && !replace && (errno == EINVAL || errno == ENOSYS)) {
        // A file system without RENAME_NOREPLACE: link(2) never replaces either.
        result = ::linkat(m_fd.get(), f.constData(), m_fd.get(), t.constData(), 0);
        if (result == 0)
            ::unlinkat(m_fd.get(), f.constData(), 0);
    }
    if (result != 0) {
        *error = errno == EEXIST ? QStringLiteral("%1 already exists").arg(filePath(to))
                                 : QStringLiteral("cannot rename %1 to %2: %3")
                                       .arg(filePath(from), filePath(to), errnoText(errno));
        return false;
    }
    return true;
}

bool Folder::remove(const QString &name, QString *error) const {
    if (::unlinkat(m_fd.get(), encoded(name).constData(), 0) == 0 || errno == ENOENT)
        return true;
    if (error)
        *error = QStringLiteral("cannot remove %1: %2").arg(filePath(name), errnoText(errno));
    return false;
}

bool Folder::writeAll(int fd, const char *bytes, qint64 size, const QString &what, QString *error) {
    QString reason;
    if (util::writeAll(fd, QByteArrayView(bytes, size), &reason))
        return true;
    *error = QStringLiteral("cannot write %1: %2").arg(what, reason);
    return false;
}

} // namespace vigil::io
