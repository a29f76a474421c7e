// SPDX-License-Identifier: Apache-2.0
#include "resultexport.h"

#include "util/safefile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QUrl>

namespace vigil::io {

namespace {
QByteArray csvCell(const QString &text) {
    QString t = text;
    if (!t.isEmpty() && QStringLiteral("=+-@").contains(t.front()))
        t.prepend(u'\'');
    QByteArray utf8 = t.toUtf8();
    if (utf8.contains(',') || utf8.contains('"') || utf8.contains('\n') || utf8.contains('\r')) {
        utf8.replace('"', "\"\"");
        utf8 = '"' + utf8 + '"';
    }
    return utf8;
}

/// The URL as it goes on the wire: percent-encoded, so a cell holds no spaces or raw UTF-8 that
/// a reader could split or mangle.
QString encodedUrl(const QString &url) {
    return QString::fromLatin1(QUrl(util::redactedUrlText(url)).toEncoded());
}
} // namespace

QByteArray resultsToCsv(const QList<fetch::ItemResult> &results, const QStringList &fieldNames) {
    QStringList header{QStringLiteral("rank"),        QStringLiteral("index"),
                       QStringLiteral("item"),        QStringLiteral("status"),
                       QStringLiteral("http_status"), QStringLiteral("latency_ms"),
                       QStringLiteral("attempts"),    QStringLiteral("bytes")};
    header += fieldNames;
    // queued_ms came later: last, so the columns a script reads by position stay where they were.
    header << QStringLiteral("error") << QStringLiteral("url") << QStringLiteral("queued_ms");
    QByteArray out;
    const auto writeRow = [&out](const QStringList &cells) {
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (i > 0)
                out += ',';
            out += csvCell(cells[i]);
        }
        out += "\r\n";
    };
    writeRow(header);
    for (const auto &r : results) {
        QStringList row{QString::number(r.rank),
                        QString::number(r.index),
                        r.item,
                        fetch::statusName(r.status),
                        QString::number(r.httpStatus),
                        QString::number(r.latencyMs, 'f', 1),
                        QString::number(r.attempts),
                        QString::number(r.bytes)};
        for (const auto &name : fieldNames)
            row << r.field(name);
        row << r.error << encodedUrl(r.url) << QString::number(r.queuedMs, 'f', 1);
        writeRow(row);
    }
    return out;
}

QByteArray resultsToJson(const QList<fetch::ItemResult> &results) {
    QJsonArray array;
    for (const auto &r : results)
        array.append(r.toJson());
    return QJsonDocument(array).toJson(QJsonDocument::Indented);
}

bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error) {
    QSaveFile file(path);
    // Unbuffered, written through util::writeAll: a full disk is reported as such, where QFile
    // would say "Unknown error".
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    QString reason;
    if (!util::writeAll(file.handle(), data, &reason)) {
        file.cancelWriting();
        *error = QStringLiteral("cannot write %1: %2").arg(path, reason);
        return false;
    }
    if (!file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace vigil::io
