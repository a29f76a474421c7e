// SPDX-License-Identifier: Apache-2.0
#include "safefile.h"

#include "net/headercheck.h"

#include <QFile>
#include <QStringList>
#include <QUrl>

#include <cerrno>

#include <sys/stat.h>
#include <unistd.h>

namespace vigil::util {

namespace {
QString withoutUserInfo(const QString &url) {
    const qsizetype scheme = url.indexOf(QLatin1String("://"));
    if (scheme < 0)
        return url;
    const qsizetype start = scheme + 3;
    qsizetype end = start;
    while (end < url.size() && url[end] != u'/' && url[end] != u'?' && url[end] != u'#')
        ++end;
    const qsizetype at = end > start ? url.lastIndexOf(u'@', end - 1) : -1;
    if (at < start)
        return url;
    return url.left(start) + url.mid(at + 1);
}
} // namespace

QString redactedUrlText(const QString &url) {
    QString text = withoutUserInfo(url);
    const qsizetype query = text.indexOf(u'?');
    if (query < 0)
        return text;
    const qsizetype fragment = text.indexOf(u'#', query);
    const qsizetype end = fragment < 0 ? text.size() : fragment;
    QStringList params = text.mid(query + 1, end - query - 1).split(u'&');
    for (QString &param : params) {
        const qsizetype eq = param.indexOf(u'=');
        if (eq > 0 && net::isSecretQueryName(QUrl::fromPercentEncoding(param.left(eq).toUtf8())))
            param = param.left(eq + 1) + QLatin1String("REDACTED");
    }
    return text.left(query + 1) + params.join(u'&') + text.mid(end);
}

QString notRegularFileProblem(const QString &path) {
    struct stat st {};
    // stat, not lstat: a symlink to a regular file is what the user meant; where it points is
    // what gets read.
    if (::stat(QFile::encodeName(path).constData(), &st) != 0 || S_ISREG(st.st_mode))
        return {};
    const char *kind = S_ISDIR(st.st_mode)                          ? "a folder"
                       : S_ISFIFO(st.st_mode)                       ? "a FIFO"
                       : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                       : S_ISSOCK(st.st_mode)                       ? "a socket"
                                                                    : "something else";
    return QStringLiteral("%1 is %2, not a regular file").arg(path, QLatin1String(kind));
}

bool writeAll(int fd, QByteArrayView bytes, QString *reason) {
    while (!bytes.isEmpty()) {
        const ssize_t n = ::write(fd, bytes.data(), size_t(bytes.size()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            // qt_error_string, not std::strerror: downloads write from any thread.
            *reason = qt_error_string(n < 0 ? errno : ENOSPC);
            return false;
        }
        bytes = bytes.sliced(n);
    }
    return true;
}

} // namespace vigil::util
