// SPDX-License-Identifier: Apache-2.0
#include "batchspec.h"

#include "requesttemplate.h"

#include "net/headercheck.h"
#include "net/jsonpointer.h"

#include <cmath>

namespace vigil::fetch {

namespace {
const QString kPlaceholder = QStringLiteral("{item}");
} // namespace

ItemList::ItemList(const QStringList &items) {
    for (const auto &item : items)
        append(item);
}

ItemList::ItemList(std::initializer_list<QString> items) {
    for (const auto &item : items)
        append(item);
}

ItemList ItemList::range(int count) {
    ItemList list;
    list.m_range = std::max(0, count);
    return list;
}

void ItemList::append(QStringView item) {
    appendUtf8(item.toUtf8());
}

void ItemList::appendUtf8(QByteArrayView item) {
    if (m_range >= 0) { // a range that grows becomes a list
        const qsizetype n = std::exchange(m_range, -1);
        for (qsizetype i = 0; i < n; ++i)
            appendUtf8(QByteArray::number(i));
    }
    m_text += item;
    m_ends.append(m_text.size());
}

QString ItemList::at(qsizetype i) const {
    Q_ASSERT(i >= 0 && i < size());
    if (m_range >= 0)
        return QString::number(i);
    const qsizetype begin = i == 0 ? 0 : m_ends[i - 1];
    return QString::fromUtf8(QByteArrayView(m_text).sliced(begin, m_ends[i] - begin));
}

std::optional<QUrl> expandTemplate(const QString &urlTemplate, const QString &item) {
    if (urlTemplate.trimmed() == kPlaceholder) { // the items are the URLs: one per endpoint
        const QUrl url(item, QUrl::StrictMode);
        return net::isHttpUrl(url) ? std::optional<QUrl>(url) : std::nullopt;
    }
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
    if (t == kPlaceholder)
        return {}; // each item is a whole URL, checked as it is fetched
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
    if (spec.items.size() > kMaxItems)
        problems.append({QStringLiteral("items"),
                         QStringLiteral("a batch takes at most %1 items").arg(kMaxItems)});
    problems += templateProblems(spec);
    if (spec.concurrency < 1 || spec.concurrency > 5000)
        problems.append(
            {QStringLiteral("concurrency"), QStringLiteral("concurrency must be from 1 to 5000")});
    if (spec.perHost < 0 || spec.perHost > 5000)
        problems.append({QStringLiteral("perHost"),
                         QStringLiteral("per-host concurrency must be from 0 (no limit of its own) "
                                        "to 5000")});
    if (spec.breaker.failures < 0 || spec.breaker.failures > 1000)
        problems.append({QStringLiteral("breaker"),
                         QStringLiteral("the breaker's failures in a row must be from 0 (off) to "
                                        "1000")});
    if (spec.ratePerHost < 0 || spec.ratePerHost > kMaxRatePerHost)
        problems.append(
            {QStringLiteral("rate"),
             QStringLiteral("the rate must be from 0 (no limit) to 100000 requests/s")});
    if (const auto &b = spec.autoRate;
        b && (b->min < 0 || b->max < 0 || b->min > kMaxRatePerHost || b->max > kMaxRatePerHost ||
              (b->max > 0 && b->min > b->max)))
        problems.append({QStringLiteral("rate"),
                         QStringLiteral("an auto rate's bounds must be from 0 to 100000 "
                                        "requests/s, the lower one not above the upper one")});
    if (spec.timeout.count() < 1 || spec.timeout.count() > 3600000)
        problems.append(
            {QStringLiteral("timeout"), QStringLiteral("the timeout must be from 1 ms to 1 hour")});
    if (spec.retries < 0 || spec.retries > 20)
        problems.append(
            {QStringLiteral("retries"), QStringLiteral("retries must be from 0 to 20")});
    if (spec.maxServerWait.count() < 0 || spec.maxServerWait.count() > 3600)
        problems.append({QStringLiteral("maxWait"),
                         QStringLiteral("the longest wait for a server must be from 0 to 3600 s")});
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

namespace vigil::fetch {

namespace {
/// Adds the item on @p line, if it holds one; false with @p error when the list is full.
bool addItemLine(ItemList &items, QByteArrayView line, ItemLines how, QString *error) {
    if (line.trimmed().isEmpty())
        return true;
    QByteArrayView item = line.trimmed();
    if (how == ItemLines::Untrimmed)
        item = line.endsWith('\r') ? line.chopped(1) : line;
    else if (item.startsWith('#'))
        return true;
    if (items.size() == kMaxItems) {
        *error = QStringLiteral("more than %1 items").arg(kMaxItems);
        return false;
    }
    items.appendUtf8(item);
    return true;
}
} // namespace

std::optional<ItemList> readItemList(QIODevice &device, QString *error, ItemLines how) {
    ItemList items;
    QByteArray pending; // the start of a line whose end has not been read yet
    qint64 lineNo = 1;
    for (;;) {
        const QByteArray chunk = device.read(256 * 1024);
        if (chunk.isEmpty())
            break; // the end, or a read error that ends it just as well
        pending += chunk;
        qsizetype from = 0;
        for (qsizetype nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', from)) {
            if (nl - from > kMaxItemLineBytes)
                break;
            if (!addItemLine(items, QByteArrayView(pending).sliced(from, nl - from), how, error))
                return std::nullopt;
            from = nl + 1;
            ++lineNo;
        }
        pending.remove(0, from);
        if (pending.indexOf('\n') > kMaxItemLineBytes || pending.size() > kMaxItemLineBytes) {
            *error = QStringLiteral("line %1 is longer than %2 bytes")
                         .arg(lineNo)
                         .arg(kMaxItemLineBytes);
            return std::nullopt;
        }
    }
    if (!addItemLine(items, pending, how, error))
        return std::nullopt;
    return items;
}

} // namespace vigil::fetch

namespace vigil::fetch {

namespace {
std::optional<double> boundValue(const QString &text, const char *which, QString *error) {
    if (text.isEmpty())
        return 0.0;
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok || !std::isfinite(v) || v <= 0 || v > kMaxRatePerHost) {
        *error = QStringLiteral("the %1 of an auto rate must be a number of requests/s from "
                                "above 0 to 100000, not '%2'")
                     .arg(QLatin1String(which), text);
        return std::nullopt;
    }
    return v;
}
} // namespace

std::optional<RateSetting> parseRateSetting(const QString &text, QString *error) {
    const QString t = text.trimmed();
    if (t == QLatin1String("auto"))
        return RateSetting{0, async::AutoRateBounds{}};
    if (t.startsWith(QLatin1String("auto:"))) {
        const QString range = t.mid(5);
        const qsizetype dash = range.indexOf(u'-');
        if (dash < 0) {
            *error = QStringLiteral("an auto rate's bounds are MIN-MAX, -MAX or MIN- (requests/s), "
                                    "not '%1'")
                         .arg(range);
            return std::nullopt;
        }
        const auto lo = boundValue(range.left(dash).trimmed(), "lower bound", error);
        const auto hi =
            lo ? boundValue(range.mid(dash + 1).trimmed(), "upper bound", error) : std::nullopt;
        if (!lo || !hi)
            return std::nullopt;
        if (*hi > 0 && *lo > *hi) {
            *error = QStringLiteral("an auto rate's lower bound (%1) is above its upper bound (%2)")
                         .arg(*lo)
                         .arg(*hi);
            return std::nullopt;
        }
        return RateSetting{0, async::AutoRateBounds{*lo, *hi}};
    }
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < 0 || v > kMaxRatePerHost) {
        *error = QStringLiteral("the rate is requests/s per host from 0 (no limit) to 100000, or "
                                "auto (learned per host), not '%1'")
                     .arg(text);
        return std::nullopt;
    }
    return RateSetting{v, std::nullopt};
}

QString rateSettingText(const RateSetting &setting) {
    if (!setting.adaptive)
        return QString::number(setting.perHost);
    const auto &b = *setting.adaptive;
    if (b.min <= 0 && b.max <= 0)
        return QStringLiteral("auto");
    return QStringLiteral("auto:%1-%2")
        .arg(b.min > 0 ? QString::number(b.min) : QString(),
             b.max > 0 ? QString::number(b.max) : QString());
}

} // namespace vigil::fetch
