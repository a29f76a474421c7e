// SPDX-License-Identifier: Apache-2.0
#include "fetchinputs.h"

#include "util/safefile.h"

#include <QFile>

#include <unistd.h>

namespace vigil::cli {

std::optional<fetch::ItemTable> readItems(const QString &source, fetch::ItemFormat format,
                                          QString *error) {
    QFile file;
    const bool fromStdin = source == QLatin1String("-");
    if (!fromStdin) {
        // A device or FIFO can be endless, or block until a writer comes: refuse it up front.
        if (const QString p = util::notRegularFileProblem(source); !p.isEmpty()) {
            *error = QStringLiteral("--items: %1").arg(p);
            return std::nullopt;
        }
    }
    // By descriptor: a FILE* QFile reads lines with fgets, which stops at a NUL byte.
    const bool opened = fromStdin ? file.open(STDIN_FILENO, QIODevice::ReadOnly)
                                  : (file.setFileName(source), file.open(QIODevice::ReadOnly));
    if (!opened) {
        *error = QStringLiteral("cannot read --items %1: %2").arg(source, file.errorString());
        return std::nullopt;
    }
    QString why;
    std::optional<fetch::ItemTable> table;
    if (format == fetch::ItemFormat::Lines) {
        if (auto items = fetch::readItemList(file, &why))
            table = fetch::ItemTable{{}, std::move(*items)};
    } else {
        table = fetch::readItemTable(file, format, &why);
    }
    if (!table)
        *error = QStringLiteral("--items %1: %2").arg(source, why);
    return table;
}

std::optional<QString> readBody(const QString &value, QString *error) {
    if (!value.startsWith(u'@'))
        return value;
    const QString path = value.mid(1);
    if (const QString p = util::notRegularFileProblem(path); !p.isEmpty()) {
        *error = QStringLiteral("--body: %1").arg(p);
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read --body %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    constexpr qint64 kMaxBody = 16 * 1024 * 1024;
    if (file.size() > kMaxBody) {
        *error = QStringLiteral("--body %1: larger than 16 MiB").arg(path);
        return std::nullopt;
    }
    return QString::fromUtf8(file.readAll());
}

} // namespace vigil::cli
