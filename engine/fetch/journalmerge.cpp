// SPDX-License-Identifier: Apache-2.0
#include "journalmerge.h"

#include "journal.h"
#include "shard.h"

#include <QHash>
#include <QJsonDocument>
#include <QMap>

namespace vigil::fetch {

namespace {
/// What must match for two outcomes to be the same: status, HTTP status, fields and error.
bool sameOutcome(const ItemResult &a, const ItemResult &b) {
    return a.status == b.status && a.httpStatus == b.httpStatus && a.fields == b.fields &&
           a.error == b.error;
}

QString describe(const ItemResult &r) {
    QString text = statusName(r.status);
    if (r.httpStatus != 0)
        text += QStringLiteral(" (HTTP %1)").arg(r.httpStatus);
    if (r.status == ItemStatus::Ok && !r.fields.isEmpty()) {
        QStringList fields;
        for (const auto &[name, value] : r.fields)
            fields << name + u'=' + r.field(name);
        text += u' ' + fields.join(u' ');
    } else if (!r.error.isEmpty()) {
        text += QStringLiteral(": ") + r.error;
    }
    return text;
}

/// An item's final result in one journal: its last ok line, else its last line.
QList<ItemResult> finalResults(const QList<ItemResult> &lines) {
    QHash<QString, qsizetype> at;
    QList<ItemResult> out;
    for (const ItemResult &r : lines) {
        const auto it = at.constFind(r.item);
        if (it == at.constEnd()) {
            at.insert(r.item, out.size());
            out.append(r);
        } else if (r.status == ItemStatus::Ok || out[*it].status != ItemStatus::Ok) {
            out[*it] = r;
        }
    }
    return out;
}

QString headerProblem(const JournalContents &journal, const QJsonObject &first, const QString &name,
                      const QString &firstName) {
    if (!journal.header)
        return QStringLiteral("%1 is not a Vigil journal (no header line)").arg(name);
    for (const auto *key : {"template", "fields", "compute"}) {
        const QString k = QString::fromLatin1(key);
        if (journal.header->value(k) != first.value(k))
            return QStringLiteral("%1 was written for a different %2 than %3")
                .arg(name, k == QLatin1String("template") ? QStringLiteral("URL template") : k,
                     firstName);
    }
    return {};
}

/// Warns when the journals' shards do not add up to one whole batch.
QStringList shardWarnings(const QList<QPair<QString, QString>> &shards) {
    QStringList out;
    int count = 0;
    QMap<int, QString> seen;
    for (const auto &[name, label] : shards) {
        QString error;
        const auto shard = parseShard(label, &error);
        if (!shard)
            continue;
        if (count != 0 && shard->count != count)
            out << QStringLiteral("%1 is shard %2, but an earlier journal is one of %3 shards")
                       .arg(name, label)
                       .arg(count);
        count = count == 0 ? shard->count : count;
        if (seen.contains(shard->index))
            out << QStringLiteral("%1 and %2 are both shard %3")
                       .arg(seen.value(shard->index), name, label);
        seen.insert(shard->index, name);
    }
    QStringList missing;
    for (int k = 0; count > 0 && k < count && missing.size() < 20; ++k) {
        if (!seen.contains(k))
            missing << QString::number(k);
    }
    if (!missing.isEmpty())
        out << QStringLiteral("shard(s) %1 of %2 are not among the journals: their items are "
                              "missing")
                   .arg(missing.join(QStringLiteral(", ")))
                   .arg(count);
    return out;
}
} // namespace

MergedJournal mergeJournals(const QList<JournalInput> &journals) {
    MergedJournal merged;
    QHash<QString, qsizetype> at;          // item -> position in merged.results
    QHash<QString, QString> source;        // item -> the journal its kept result came from
    QList<QPair<QString, QString>> shards; // journal -> "K/N"
    QString reference;                     // the journal whose header the others must match
    for (const JournalInput &input : journals) {
        const JournalContents contents = parseJournal(input.data);
        merged.unreadableLines += contents.unreadableLines;
        if (merged.header.isEmpty() && contents.header) {
            merged.header = *contents.header;
            merged.header.remove(QStringLiteral("shard"));
            reference = input.name;
        }
        const QString problem = headerProblem(contents, merged.header, input.name, reference);
        if (!problem.isEmpty()) {
            merged.problems << problem;
            continue;
        }
        if (const QJsonValue shard = contents.header->value(QStringLiteral("shard"));
            shard.isString())
            shards.append({input.name, shard.toString()});
        for (ItemResult &r : finalResults(contents.results)) {
            const auto it = at.constFind(r.item);
            if (it == at.constEnd()) {
                at.insert(r.item, merged.results.size());
                source.insert(r.item, input.name);
                merged.results.append(std::move(r));
                continue;
            }
            ItemResult &kept = merged.results[*it];
            if (sameOutcome(kept, r)) {
                ++merged.duplicates;
                continue;
            }
            merged.conflicts << QStringLiteral("item %1: %2: %3; %4: %5")
                                    .arg(r.item, source.value(r.item), describe(kept), input.name,
                                         describe(r));
            if (kept.status != ItemStatus::Ok && r.status == ItemStatus::Ok) {
                source.insert(r.item, input.name);
                kept = std::move(r);
            }
        }
    }
    merged.warnings = shardWarnings(shards);
    if (!merged.problems.isEmpty())
        merged.results.clear();
    for (qsizetype i = 0; i < merged.results.size(); ++i) {
        merged.results[i].rank = int(i + 1);
        merged.results[i].index = int(i); // a shard's index counts in its part only
    }
    return merged;
}

QString MergedJournal::line(int journals) const {
    int ok = 0;
    for (const ItemResult &r : results)
        ok += r.status == ItemStatus::Ok ? 1 : 0;
    return QStringLiteral("merged journals=%1 items=%2 ok=%3 not_ok=%4 duplicates=%5 conflicts=%6")
        .arg(journals)
        .arg(results.size())
        .arg(ok)
        .arg(results.size() - ok)
        .arg(duplicates)
        .arg(conflicts.size());
}

QByteArray MergedJournal::toJsonl() const {
    QByteArray out = QJsonDocument(header).toJson(QJsonDocument::Compact) + '\n';
    for (const ItemResult &r : results)
        out += QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact) + '\n';
    return out;
}

} // namespace vigil::fetch
