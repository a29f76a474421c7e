// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "itemresult.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace vigil::fetch {

/// @brief One journal to merge: its name (for messages) and its bytes.
struct JournalInput {
    QString name;
    QByteArray data;
};

/// @brief Shard journals merged into one: every item once, and every disagreement said.
struct MergedJournal {
    /// The whole batch's header (no shard): a rerun of the whole batch resumes from it.
    QJsonObject header;
    QList<ItemResult> results; ///< in the order items first appear, ranked 1, 2, …
    /// Journals that cannot be merged with the first (another template, fields or compute
    /// stage), or that are not Vigil journals; nothing is merged when there is one.
    QStringList problems;
    /// Items whose final results differ between journals ("item 42: a.jsonl: ok, b.jsonl:
    /// failed (HTTP 500)"); the ok one is kept, else the first.
    QStringList conflicts;
    /// What does not stop the merge but may be a mistake: shards of a different N, a shard
    /// missing or given twice.
    QStringList warnings;
    int duplicates = 0;      ///< items in more than one journal with the same result
    int unreadableLines = 0; ///< half-written lines of killed runs, summed

    /// `merged journals=… items=… ok=… not_ok=… duplicates=… conflicts=…`
    [[nodiscard]] QString line(int journals) const;
    /// The merged journal's bytes: the header line, then one line per item.
    [[nodiscard]] QByteArray toJsonl() const;
};

/// Merges @p journals. Within one journal an item's final result is its last ok line, else its
/// last line (a resumed run appends). Across journals an item should appear once; if it appears
/// in several, the same result counts as a duplicate and a different one as a conflict.
[[nodiscard]] MergedJournal mergeJournals(const QList<JournalInput> &journals);

} // namespace vigil::fetch
