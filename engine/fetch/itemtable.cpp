// SPDX-License-Identifier: Apache-2.0
#include "itemtable.h"

#include <QBuffer>
#include <QRegularExpression>

namespace vigil::fetch {

std::optional<ItemFormat> itemFormatFromName(QStringView name) {
    if (name == u"lines")
        return ItemFormat::Lines;
    if (name == u"csv")
        return ItemFormat::Csv;
    if (name == u"tsv")
        return ItemFormat::Tsv;
    return std::nullopt;
}

ItemFormat itemFormatForFile(const QString &path) {
    if (path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive))
        return ItemFormat::Csv;
    if (path.endsWith(QLatin1String(".tsv"), Qt::CaseInsensitive) ||
        path.endsWith(QLatin1String(".tab"), Qt::CaseInsensitive))
        return ItemFormat::Tsv;
    return ItemFormat::Lines;
}

QChar separatorOf(ItemFormat format) {
    switch (format) {
    case ItemFormat::Csv:
        return u',';
    case ItemFormat::Tsv:
        return u'\t';
    case ItemFormat::Lines:
        break;
    }
    return {};
}

std::optional<QStringList> splitRecord(QStringView line, QChar separator, QString *error) {
    QStringList fields;
    QString field;
    bool quoted = false;    // inside a quoted field
    bool wasQuoted = false; // this field began with a quote
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted) {
            if (c != u'"')
                field += c;
            else if (i + 1 < line.size() && line[i + 1] == u'"')
                field += line[++i]; // "" is a quote
            else
                quoted = false;
        } else if (c == separator) {
            fields << std::exchange(field, QString());
            wasQuoted = false;
        } else if (c == u'"' && field.isEmpty() && !wasQuoted) {
            quoted = wasQuoted = true;
        } else {
            field += c;
        }
    }
    if (quoted) {
        *error = QStringLiteral("a quoted field is not closed (a record is one line)");
        return std::nullopt;
    }
    fields << field;
    return fields;
}

QString headerProblem(const QStringList &columns) {
    static const QRegularExpression name(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    for (qsizetype i = 0; i < columns.size(); ++i) {
        if (!name.match(columns[i]).hasMatch())
            return QStringLiteral("the header's column %1 (\"%2\") is not a placeholder name: a "
                                  "letter or _, then letters, digits or _")
                .arg(i + 1)
                .arg(columns[i]);
        if (columns.indexOf(columns[i]) != i)
            return QStringLiteral("the header names the column %1 twice").arg(columns[i]);
    }
    return {};
}

std::optional<ItemTable> readItemTable(QIODevice &device, ItemFormat format, QString *error) {
    // Lines as they are (trimmed, a TSV's last empty field would be lost), blank ones skipped.
    auto lines = readItemList(device, error, ItemLines::Untrimmed);
    if (!lines)
        return std::nullopt;
    if (lines->isEmpty()) {
        *error = QStringLiteral("the table has no header line");
        return std::nullopt;
    }
    const QChar separator = separatorOf(format);
    ItemTable table;
    const auto header = splitRecord(lines->at(0), separator, error);
    if (!header)
        return std::nullopt;
    for (const QString &column : *header)
        table.columns << column.trimmed();
    if (const QString problem = headerProblem(table.columns); !problem.isEmpty()) {
        *error = problem;
        return std::nullopt;
    }
    for (qsizetype i = 1; i < lines->size(); ++i) {
        const QString record = lines->at(i);
        const auto fields = splitRecord(record, separator, error);
        if (fields && fields->size() == table.columns.size()) {
            table.records.append(record);
            continue;
        }
        const QString why = fields ? QStringLiteral("has %1 fields, the header %2")
                                         .arg(fields->size())
                                         .arg(table.columns.size())
                                   : *error;
        *error = QStringLiteral("record %1 %2").arg(i).arg(why);
        return std::nullopt;
    }
    return table;
}

std::optional<ItemTable> parseItemTable(const QString &text, ItemFormat format, QString *error) {
    QByteArray bytes = text.toUtf8();
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    return readItemTable(buffer, format, error);
}

} // namespace vigil::fetch
