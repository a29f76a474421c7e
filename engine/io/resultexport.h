// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fetch/itemresult.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace vigil::io {

/// The results as CSV: fixed columns, then one column per field name in @p fieldNames. Quotes
/// follow RFC 4180, and a cell that starts with = + - @ is prefixed with ' so spreadsheets do not
/// run it as a formula.
[[nodiscard]] QByteArray resultsToCsv(const QList<fetch::ItemResult> &results,
                                      const QStringList &fieldNames);

/// The results as one JSON array of the journal's objects.
[[nodiscard]] QByteArray resultsToJson(const QList<fetch::ItemResult> &results);

/// Writes @p data to @p path atomically (QSaveFile): the old file stays until the new one is
/// complete. False with @p error on failure, naming the file and the system's reason ("No space
/// left on device").
bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error);

} // namespace vigil::io
