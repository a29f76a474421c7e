// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "batchspec.h"

#include "net/httptypes.h"

#include <QStringList>
#include <QUrl>

#include <optional>

namespace vigil::fetch {

/// The {name} placeholders in @p text, in order, each once. A name is a letter or `_`, then
/// letters, digits or `_`; any other brace is text (a JSON body's own).
[[nodiscard]] QStringList placeholderNames(QStringView text);

/// @brief How a value is written into a template: percent-encoded (a URL, a form body), as the
/// inside of a JSON string (a JSON body: `"{name}"` stays valid JSON whatever the value), or
/// as it is (a header, a plain body).
enum class Escape { Url, Json, Raw };

/// @brief What an item gives the placeholders: {item} for a plain list, each column's field
/// for a table's record.
class ItemValues {
public:
    ItemValues(const BatchSpec &spec, const QString &item);
    [[nodiscard]] std::optional<QString> value(QStringView name) const;

private:
    QStringList m_columns;
    QStringList m_fields;
    QString m_item;
};

/// @p text with each placeholder replaced by its value, escaped as @p escape says; a name
/// without a value stays as written (validate() names those before a batch starts).
[[nodiscard]] QString fillTemplate(QStringView text, const ItemValues &values, Escape escape);

/// The URL for @p item: a template that is one placeholder alone takes the value as the whole
/// URL; otherwise each value goes in percent-encoded. nullopt when it is no http(s) URL.
[[nodiscard]] std::optional<QUrl> itemUrl(const BatchSpec &spec, const QString &item);

/// The request for @p item: its URL, method, headers and body. nullopt, with @p error, when it
/// cannot be made (not a valid URL, a header value with a line break).
[[nodiscard]] std::optional<net::HttpRequest> itemRequest(const BatchSpec &spec,
                                                          const QString &item, QString *error);

/// What is wrong with the spec's URL, header and body templates and its method: a placeholder
/// that names no column (or, for a plain list, anything but {item}), a stray brace in the URL,
/// no placeholder at all, a body on a GET.
[[nodiscard]] QList<SpecProblem> templateProblems(const BatchSpec &spec);

/// True when sending the spec's request twice does what sending it once does (GET, PUT), or
/// the user said the endpoint is safe to retry: only then is an item retried.
[[nodiscard]] bool mayRetry(const BatchSpec &spec);

} // namespace vigil::fetch
