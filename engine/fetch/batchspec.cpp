#include "batchspec.h"

#include "net/headercheck.h"
#include "net/jsonpointer.h"

namespace vigil::fetch {

namespace {
const QString kPlaceholder = QStringLiteral("{item}");
} // namespace

std::optional<QUrl> expandTemplate(const QString &urlTemplate, const QString &item) {
    QString text = urlTemplate;
    text.replace(kPlaceholder, QString::fromLatin1(QUrl::toPercentEncoding(item)));
    const QUrl url(text, QUrl::StrictMode);
    if (!net::isHttpUrl(url))
        return std::nullopt;
    return url;
}

QString templateProblem(const QString &urlTemplate) {
    const QString t = urlTemplate.trimmed();
    if (t.isEmpty())
        return QStringLiteral("the URL template is empty");
    if (!t.contains(kPlaceholder))
        return QStringLiteral("the URL template must contain {item}");
    const QUrl probe(QString(t).replace(kPlaceholder, QStringLiteral("x")), QUrl::StrictMode);
    const QString scheme = probe.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return QStringLiteral("the URL must start with http:// or https://");
    if (!probe.isValid() || probe.host().isEmpty())
        return QStringLiteral("the URL template is not a valid URL: %1").arg(probe.errorString());
    return {};
}

QList<SpecProblem> validate(const BatchSpec &spec) {
    QList<SpecProblem> problems;
    if (spec.items.isEmpty())
        problems.append({QStringLiteral("items"), QStringLiteral("the item list is empty")});
    if (const QString t = templateProblem(spec.urlTemplate); !t.isEmpty())
        problems.append({QStringLiteral("template"), t});
    if (spec.concurrency < 1 || spec.concurrency > 5000)
        problems.append(
            {QStringLiteral("concurrency"), QStringLiteral("concurrency must be from 1 to 5000")});
    if (spec.ratePerHost < 0 || spec.ratePerHost > 100000)
        problems.append(
            {QStringLiteral("rate"),
             QStringLiteral("the rate must be from 0 (no limit) to 100000 requests/s")});
    if (spec.timeout.count() < 1 || spec.timeout.count() > 3600000)
        problems.append(
            {QStringLiteral("timeout"), QStringLiteral("the timeout must be from 1 ms to 1 hour")});
    if (spec.retries < 0 || spec.retries > 20)
        problems.append(
            {QStringLiteral("retries"), QStringLiteral("retries must be from 0 to 20")});
    for (const auto &[name, value] : spec.headers) {
        if (const QString h = net::headerProblem(name, value); !h.isEmpty())
            problems.append({QStringLiteral("headers"), h});
    }
    QStringList seen;
    for (const auto &f : spec.fields) {
        if (f.name.trimmed().isEmpty())
            problems.append({QStringLiteral("fields"), QStringLiteral("a field needs a name")});
        else if (seen.contains(f.name))
            problems.append({QStringLiteral("fields"),
                             QStringLiteral("the field name \"%1\" is used twice").arg(f.name)});
        seen << f.name;
        if (const QString p = net::jsonPointerSyntaxError(f.pointer); !p.isEmpty())
            problems.append(
                {QStringLiteral("fields"), QStringLiteral("field \"%1\": %2").arg(f.name, p)});
    }
    return problems;
}

std::optional<FieldSpec> parseFieldSpec(const QString &text, QString *error) {
    const qsizetype eq = text.indexOf(u'=');
    if (eq <= 0) {
        *error = QStringLiteral("--field takes NAME=/json/pointer, got \"%1\"").arg(text);
        return std::nullopt;
    }
    FieldSpec f{text.left(eq).trimmed(), text.mid(eq + 1).trimmed()};
    if (const QString p = net::jsonPointerSyntaxError(f.pointer); !p.isEmpty()) {
        *error = QStringLiteral("--field %1: %2").arg(f.name, p);
        return std::nullopt;
    }
    return f;
}

QStringList parseItemList(const QString &text) {
    QStringList items;
    for (const auto line : QStringView(text).split(u'\n')) {
        const auto item = line.trimmed();
        if (!item.isEmpty() && !item.startsWith(u'#'))
            items << item.toString();
    }
    return items;
}

} // namespace vigil::fetch
