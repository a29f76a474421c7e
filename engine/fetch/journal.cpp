#include "journal.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace vigil::fetch {

namespace {
const QString kMagic = QStringLiteral("vigil_journal");
}

QJsonObject journalHeader(const BatchSpec &spec) {
    QJsonArray fields;
    for (const auto &f : spec.fields)
        fields.append(QJsonArray{f.name, f.pointer});
    return {{kMagic, 1},
            {QStringLiteral("template"), spec.urlTemplate},
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

bool JournalWriter::open(const QString &path, const BatchSpec &spec, QString *error) {
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Append)) {
        *error = QStringLiteral("cannot open journal %1: %2").arg(path, m_file.errorString());
        return false;
    }
    if (m_file.size() == 0) {
        m_file.write(QJsonDocument(journalHeader(spec)).toJson(QJsonDocument::Compact) + '\n');
    } else {
        // A killed run can leave half a line; start ours on a fresh one.
        m_file.seek(m_file.size() - 1);
        if (m_file.read(1) != "\n")
            m_file.write("\n");
    }
    m_file.flush();
    return true;
}

void JournalWriter::append(const ItemResult &result) {
    m_file.write(QJsonDocument(result.toJson()).toJson(QJsonDocument::Compact) + '\n');
    m_file.flush();
}

} // namespace vigil::fetch
