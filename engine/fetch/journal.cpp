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
    return {{kMagic, 1},
            {QStringLiteral("template"), util::redactedUrlText(spec.urlTemplate)},
            {QStringLiteral("fields"), fields},
            {QStringLiteral("compute"), spec.compute == ComputeStage::Kinetics
                                            ? QStringLiteral("kinetics")
                                            : QStringLiteral("none")}};
}

JournalContents parseJournal(QByteArrayView data) {
    JournalContents out;
    for (const QByteArray &line : data.toByteArray().split('\n')) {
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
    } else {
        // A killed run can leave half a line; start ours on a fresh one.
        m_file.seek(m_file.size() - 1);
        if (m_file.read(1) != "\n")
            ok = writeAll(m_file, "\n", error);
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
