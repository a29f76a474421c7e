// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "batchspec.h"

#include <QIODevice>
#include <QStringList>

#include <optional>

namespace vigil::fetch {

/// @brief How an item list is written: one item per line, or a table whose first line names
/// its columns (CSV or TSV), each column then a {name} placeholder.
enum class ItemFormat { Lines, Csv, Tsv };

/// "lines", "csv" or "tsv"; nullopt for anything else.
[[nodiscard]] std::optional<ItemFormat> itemFormatFromName(QStringView name);
/// The format a file's name suggests: .csv and .tsv (or .tab) are tables, anything else lines.
[[nodiscard]] ItemFormat itemFormatForFile(const QString &path);
/// ',' for CSV, a tab for TSV (and for lines, which have no separator, a null QChar).
[[nodiscard]] QChar separatorOf(ItemFormat format);

/// The fields of one record: split at @p separator, with RFC 4180 quoting ("a, b" and "say
/// ""hi""" are one field each). nullopt, with @p error, when a quote is left open: a record
/// is one line.
[[nodiscard]] std::optional<QStringList> splitRecord(QStringView line, QChar separator,
                                                     QString *error);

/// @brief A table of items: the header's column names, and the records (a line each, as read).
struct ItemTable {
    QStringList columns;
    ItemList records;
};

/// What is wrong with a header's names, or empty: each must be a placeholder name (a letter or
/// `_`, then letters, digits or `_`), none twice.
[[nodiscard]] QString headerProblem(const QStringList &columns);

/// Reads a table from @p device (the limits of readItemList apply): the first line that is not
/// blank is the header, and every record must have as many fields. The error names the line.
[[nodiscard]] std::optional<ItemTable> readItemTable(QIODevice &device, ItemFormat format,
                                                     QString *error);
/// The same from text a person typed or pasted.
[[nodiscard]] std::optional<ItemTable> parseItemTable(const QString &text, ItemFormat format,
                                                      QString *error);

} // namespace vigil::fetch
