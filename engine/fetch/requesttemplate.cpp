// SPDX-License-Identifier: Apache-2.0
#include "requesttemplate.h"

#include "itemtable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QRegularExpression>

namespace vigil::fetch {

namespace {
const QRegularExpression &placeholderPattern() {
    static const QRegularExpression pattern(QStringLiteral(R"(\{([A-Za-z_][A-Za-z0-9_]*)\})"));
    return pattern;
}

QString escaped(const QString &value, Escape escape) {
    switch (escape) {
    case Escape::Url:
        return QString::fromLatin1(QUrl::toPercentEncoding(value));
    case Escape::Json: {
        // The inside of a JSON string: what QJsonDocument writes for it, less the quotes.
        const QByteArray quoted = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return QString::fromUtf8(quoted.mid(2, quoted.size() - 4));
    }
    case Escape::Raw:
        break;
    }
    return value;
}

Escape bodyEscape(const QString &contentType) {
    const QString type = contentType.toLower();
    if (type.contains(QLatin1String("json")))
        return Escape::Json;
    if (type.contains(QLatin1String("x-www-form-urlencoded")))
        return Escape::Url;
    return Escape::Raw;
}

/// The one placeholder a template consists of, or empty.
QString wholeTemplateName(const QString &text) {
    const auto match = placeholderPattern().match(text.trimmed());
    return match.hasMatch() && match.capturedLength(0) == text.trimmed().size() ? match.captured(1)
                                                                                : QString();
}
} // namespace

QStringList placeholderNames(QStringView text) {
    QStringList names;
    auto it = placeholderPattern().globalMatch(text);
    while (it.hasNext()) {
        const QString name = it.next().captured(1);
        if (!names.contains(name))
            names << name;
    }
    return names;
}

ItemValues::ItemValues(const BatchSpec &spec, const QString &item)
    : m_columns(spec.columns)
    , m_item(item) {
    if (!m_columns.isEmpty()) {
        QString ignored; // records were checked as they were read
        m_fields = splitRecord(item, spec.separator, &ignored).value_or(QStringList());
    }
}

std::optional<QString> ItemValues::value(QStringView name) const {
    if (m_columns.isEmpty())
        return name == u"item" ? std::optional<QString>(m_item) : std::nullopt;
    const qsizetype i = m_columns.indexOf(name);
    return i >= 0 && i < m_fields.size() ? std::optional<QString>(m_fields[i]) : std::nullopt;
}

QString fillTemplate(QStringView text, const ItemValues &values, Escape escape) {
    QString out;
    qsizetype from = 0;
    auto it = placeholderPattern().globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        const auto value = values.value(match.capturedView(1));
        out += text.sliced(from, match.capturedStart(0) - from);
        out += value ? escaped(*value, escape) : match.captured(0);
        from = match.capturedEnd(0);
    }
    out += text.sliced(from);
    return out;
}

std::optional<QUrl> itemUrl(const BatchSpec &spec, const QString &item) {
    if (spec.columns.isEmpty())
        return expandTemplate(spec.urlTemplate, item);
    const ItemValues values(spec, item);
    const QString whole = wholeTemplateName(spec.urlTemplate);
    const QString text = whole.isEmpty()
                             ? fillTemplate(spec.urlTemplate.trimmed(), values, Escape::Url)
                             : values.value(whole).value_or(QString());
    const QUrl url(text, QUrl::StrictMode);
    return net::isHttpUrl(url) ? std::optional<QUrl>(url) : std::nullopt;
}

std::optional<net::HttpRequest> itemRequest(const BatchSpec &spec, const QString &item,
                                            QString *error) {
    const auto url = itemUrl(spec, item);
    if (!url) {
        *error = QStringLiteral("the item does not make a valid URL");
        return std::nullopt;
    }
    const ItemValues values(spec, item);
    net::HttpRequest request;
    request.url = *url;
    request.method = spec.method;
    for (const auto &[name, value] : spec.headers) {
        const QString filled = fillTemplate(QString::fromUtf8(value), values, Escape::Raw);
        if (filled.contains(u'\r') || filled.contains(u'\n')) {
            *error = QStringLiteral("the header %1 would hold a line break")
                         .arg(QString::fromLatin1(name));
            return std::nullopt;
        }
        request.headers.append({name, filled.toUtf8()});
    }
    if (!spec.bodyTemplate.isEmpty()) {
        request.body =
            fillTemplate(spec.bodyTemplate, values, bodyEscape(spec.contentType)).toUtf8();
        if (net::headerValue(request.headers, "Content-Type").isEmpty())
            request.headers.append({"Content-Type", spec.contentType.toUtf8()});
    }
    return request;
}

namespace {
/// Every placeholder in @p text that the items do not fill, as problems of @p field.
void unknownNames(const BatchSpec &spec, QStringView text, const QString &where,
                  const QString &field, QList<SpecProblem> &out) {
    for (const QString &name : placeholderNames(text)) {
        if (spec.columns.isEmpty() && name != QLatin1String("item"))
            out.append({field, QStringLiteral("%1 names {%2}; a plain item list has only {item} "
                                              "(a CSV or TSV list names its columns)")
                                   .arg(where, name)});
        else if (!spec.columns.isEmpty() && !spec.columns.contains(name))
            out.append({field, QStringLiteral("%1 names {%2}, which is not a column of the items "
                                              "(%3)")
                                   .arg(where, name, spec.columns.join(QStringLiteral(", ")))});
    }
}

bool usesPlaceholders(const BatchSpec &spec) {
    if (!placeholderNames(spec.urlTemplate).isEmpty() ||
        !placeholderNames(spec.bodyTemplate).isEmpty())
        return true;
    for (const auto &header : spec.headers)
        if (!placeholderNames(QString::fromUtf8(header.second)).isEmpty())
            return true;
    return false;
}

/// The URL itself: a scheme and a host once the placeholders are filled, and no stray brace.
QString urlProblem(const BatchSpec &spec) {
    const QString url = spec.urlTemplate.trimmed();
    if (!wholeTemplateName(url).isEmpty())
        return {}; // each item (or column) is a whole URL, checked as it is fetched
    QString probe = url;
    probe.replace(placeholderPattern(), QStringLiteral("x"));
    if (probe.contains(u'{') || probe.contains(u'}'))
        return QStringLiteral("the URL template has a brace that is no {name} placeholder (a "
                              "name is a letter or _, then letters, digits or _)");
    const QUrl parsed(probe, QUrl::StrictMode);
    const QString scheme = parsed.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return QStringLiteral("the URL must start with http:// or https://");
    if (!parsed.isValid() || parsed.host().isEmpty())
        return QStringLiteral("the URL template is not a valid URL: %1").arg(parsed.errorString());
    return {};
}
} // namespace

QList<SpecProblem> templateProblems(const BatchSpec &spec) {
    QList<SpecProblem> out;
    const QString templ = QStringLiteral("template");
    if (spec.urlTemplate.trimmed().isEmpty()) {
        out.append({templ, QStringLiteral("the URL template is empty")});
        return out;
    }
    unknownNames(spec, spec.urlTemplate, QStringLiteral("the URL template"), templ, out);
    for (const auto &[name, value] : spec.headers)
        unknownNames(spec, QString::fromUtf8(value),
                     QStringLiteral("the header %1").arg(QString::fromLatin1(name)),
                     QStringLiteral("headers"), out);
    unknownNames(spec, spec.bodyTemplate, QStringLiteral("the body template"),
                 QStringLiteral("body"), out);
    if (!usesPlaceholders(spec))
        out.append({templ, spec.columns.isEmpty()
                               ? QStringLiteral("the URL template must contain {item}")
                               : QStringLiteral("the URL template (or the body) must use a "
                                                "column, such as {%1}")
                                     .arg(spec.columns.first())});
    else if (const QString problem = urlProblem(spec); !problem.isEmpty())
        out.append({templ, problem});
    if (spec.method != "GET" && spec.method != "POST" && spec.method != "PUT")
        out.append(
            {QStringLiteral("method"), QStringLiteral("the method must be GET, POST or PUT")});
    else if (spec.method == "GET" && !spec.bodyTemplate.isEmpty())
        out.append({QStringLiteral("body"),
                    QStringLiteral("a GET request takes no body: choose POST or PUT")});
    return out;
}

bool mayRetry(const BatchSpec &spec) {
    return spec.method != "POST" || spec.retryUnsafe;
}

} // namespace vigil::fetch
