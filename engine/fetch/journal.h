// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "batchspec.h"
#include "itemresult.h"

#include <QFile>
#include <QJsonObject>

#include <optional>

namespace vigil::fetch {

/// @brief What a journal file holds: the spec it was written for and the results so far.
struct JournalContents {
    std::optional<QJsonObject> header;
    QList<ItemResult> results;
    int unreadableLines = 0; ///< e.g. the half-written last line of a killed run
};

/// The journal header for @p spec: what must match for a rerun to resume from it.
[[nodiscard]] QJsonObject journalHeader(const BatchSpec &spec);

/// Parses journal bytes (JSONL). Never throws; lines it cannot read are counted, not fatal.
[[nodiscard]] JournalContents parseJournal(QByteArrayView data);

/// Why a journal cannot be resumed for @p spec; empty when it can.
[[nodiscard]] QString journalMismatch(const JournalContents &journal, const BatchSpec &spec);

/// @brief Appends results to a JSONL journal as they arrive, one unbuffered write each, so a crash
/// or kill loses nothing that had finished, and a full disk is known at the line it hits.
class JournalWriter {
public:
    /// Opens (or creates, mode 0600: results hold URLs) @p path for appending; writes the header
    /// into a new file. Refuses a path that is not a regular file.
    bool open(const QString &path, const BatchSpec &spec, QString *error);
    /// Writes one line; false with @p error ("cannot write journal …: No space left on device")
    /// when not all of it reached the file.
    [[nodiscard]] bool append(const ItemResult &result, QString *error);
    [[nodiscard]] bool isOpen() const { return m_file.isOpen(); }

private:
    QFile m_file;
};

} // namespace vigil::fetch
