// SPDX-License-Identifier: Apache-2.0
#include "demofolder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <cerrno>
#include <csignal>

namespace vigil::widgets {

namespace {
constexpr auto kPrefix = "vigil-demo-downloads-";

/// The pid in a demo folder's name, or 0 when the name is not one.
qint64 ownerOf(const QString &name) {
    static const QRegularExpression pattern(QLatin1String("^") + QLatin1String(kPrefix) +
                                            QLatin1String("(\\d{1,10})$"));
    const auto match = pattern.match(name);
    return match.hasMatch() ? match.captured(1).toLongLong() : 0;
}

bool isAlive(qint64 pid) {
    // EPERM: a process of another user has the pid, which is not ours to judge.
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM);
}
} // namespace

QString DemoFolder::path() {
    return QDir(QDir::tempPath())
        .filePath(QLatin1String(kPrefix) + QString::number(QCoreApplication::applicationPid()));
}

bool DemoFolder::isDemoFolder(const QString &path) {
    const QFileInfo info(path);
    return ownerOf(info.fileName()) > 0 && QDir(info.absolutePath()) == QDir(QDir::tempPath());
}

int DemoFolder::removeStale() {
    int removed = 0;
    const QDir temp(QDir::tempPath());
    const auto names = temp.entryList({QLatin1String(kPrefix) + u'*'},
                                      QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks);
    for (const QString &name : names) {
        const qint64 pid = ownerOf(name);
        if (pid > 0 && pid != QCoreApplication::applicationPid() && !isAlive(pid))
            removed += QDir(temp.filePath(name)).removeRecursively();
    }
    return removed;
}

void DemoFolder::removeOwn() {
    QDir(path()).removeRecursively();
}

} // namespace vigil::widgets
