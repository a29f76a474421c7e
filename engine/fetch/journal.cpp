// SPDX-License-Identifier: Apache-2.0
#include "journal.h"

#include <QJsonArray>
#include <QJsonDocument>

#include "util/safefile.h"

namespace vigil::fetch {

namespace {
const QString kMagic = QStringLiteral("vigil_journal");
}

QJsonObject journalHeader(const BatchSpec &spec) {
    QJsonArray fields;
    for (const auto &f : spec.fields)
        fields.append(QJsonArray{f.name, f.pointer});
    QJsonObject header{{kMagic, 1},
                       {QStringLiteral("template"), util::redactedUrlText(spec.urlTemplate)},
                       {QStringLiteral("fields"), fields},
                       {QStringLiteral("compute"), spec.compute == ComputeStage::Kinetics
                                                       ? QStringLiteral("kinetics")
                                                       : QStringLiteral("none")}};
    if (!spec.shard.isEmpty()) // absent for a whole batch, as in journals from before shards
        header.insert(QStringLiteral("shard"), spec.shard);
    return header;
}

JournalContents parseJournal(QByteArrayView data) {
    JournalContents out;
    QList<QByteArray> lines = data.toByteArray().split('\n');
    // The writer counts a record as saved only once its newline is written. A tail without one
    // (a killed run, a full disk) is unsaved even when its JSON happens to be complete.
    if (!lines.isEmpty() && !lines.constLast().trimmed().isEmpty())
        ++out.unreadableLines;
    if (!lines.isEmpty())
        lines.removeLast();
    for (const QByteArray &line : std::as_const(lines)) {
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            ++out.unreadableLines;
            continue;
        }
        const QJsonObject o = doc.object();
        if (o.contains(kMagic)) {
            if (!out.header)
                out.header = o;
            continue;
        }
        if (auto r = ItemResult::fromJson(o))
            out.results.append(std::move(*r));
        else
            ++out.unreadableLines;
    }
    return out;
}

QString journalMismatch(const JournalContents &journal, const BatchSpec &spec) {
    if (!journal.header)
        return journal.results.isEmpty() ? QString()
                                         : QStringLiteral("it has no Vigil journal header");
    const QJsonObject expected = journalHeader(spec);
    const QJsonValue shard = journal.header->value(QStringLiteral("shard"));
    if (shard != expected.value(QStringLiteral("shard")))
        return shard.isString()
                   ? QStringLiteral("it was written for shard %1").arg(shard.toString())
                   : QStringLiteral("it was written for a whole batch, not a shard");
    for (const auto *key : {"template", "fields", "compute"}) {
        const QString k = QString::fromLatin1(key);
        if (journal.header->value(k) != expected.value(k))
            return QStringLiteral("it was written for a different %1")
                .arg(k == QLatin1String("template") ? QStringLiteral("URL template") : k);
    }
    return {};
}

namespace {
bool writeAll(QFile &file, QByteArrayView bytes, QString *error) {
    QString reason;
    if (util::writeAll(file.handle(), bytes, &reason))
        return true;
    *error = QStringLiteral("cannot write journal %1: %2").arg(file.fileName(), reason);
    return false;
}
bool endsWithNewline(QFile &file) {
    file.seek(file.size() - 1);
    return file.read(1) == "\n";
}

/// A killed run or a full disk can leave a record without its newline: unsaved, as parseJournal
/// reads it. In Vigil's own journal that tail is cut off, so that the newline the next record
/// starts with cannot make it look saved (and the item journalled twice). Any other file only
/// gets a newline: its bytes are not ours to drop.
bool dropUnsavedTail(QFile &file, QString *error) {
    file.seek(0);
    const QJsonDocument first = QJsonDocument::fromJson(file.readLine(64 * 1024).trimmed());
    if (!first.isObject() || !first.object().contains(kMagic))
        return writeAll(file, "\n", error);
    constexpr qint64 kChunk = 64 * 1024;
    for (qint64 end = file.size(); end > 0;) {
        const qint64 start = std::max<qint64>(0, end - kChunk);
        file.seek(start);
        const qsizetype newline = file.read(end - start).lastIndexOf('\n');
        if (newline >= 0) {
            if (file.resize(start + newline + 1))
                return true;
            break;
        }
        end = start;
    }
    *error =
        QStringLiteral("cannot repair journal %1: %2").arg(file.fileName(), file.errorString());
    return false;
}
} // namespace

bool JournalWriter::open(const QString &path, const BatchSpec &spec, QString *error) {
    if (const QString p = util::notRegularFileProblem(path); !p.isEmpty()) {
        *error = QStringLiteral("cannot use journal: %1").arg(p);
        return false;
    }
    m_file.setFileName(path);
    // Unbuffered: writes go to the descriptor (writeAll), and reads must not buffer ahead of it.
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Append | QIODevice::Unbuffered,
                     QFile::ReadOwner | QFile::WriteOwner)) {
        *error = QStringLiteral("cannot open journal %1: %2").arg(path, m_file.errorString());
        return false;
    }
    bool ok = true;
    if (m_file.size() == 0) {
        ok = writeAll(
            m_file,
            QByteArray(QJsonDocument(journalHeader(spec)).toJson(QJsonDocument::Compact) + '\n'),
            error);
    } else if (!endsWithNewline(m_file)) {
        ok = dropUnsavedTail(m_file, error);
    }
    if (!ok)
        m_file.close();
    return ok;
}

bool JournalWriter::append(const ItemResult &result, QString *error) {
    return writeAll(
        m_file, QByteArray(QJsonDocument(result.toJson()).toJson(QJsonDocument::Compact) + '\n'),
        error);
}

} // namespace vigil::fetch
