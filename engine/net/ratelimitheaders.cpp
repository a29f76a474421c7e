// SPDX-License-Identifier: Apache-2.0
#include "ratelimitheaders.h"

#include <QList>

#include <cmath>

namespace vigil::net {

namespace {
using Duration = async::Clock::Duration;

// Past this, a reset is a Unix time rather than seconds to wait (2001-09-09: no delay is that
// long, and no server clock is that far behind).
constexpr double kUnixTimeFloor = 1e9;
// A window or a reset longer than a day is a server's mistake, not a plan to follow.
constexpr double kLongestSeconds = 86400;

/// One member of a header's comma-separated list: its leading item and its `;key=value` params.
struct Member {
    QByteArray item;
    QList<QPair<QByteArray, QByteArray>> params;

    [[nodiscard]] std::optional<QByteArray> param(QByteArrayView key) const {
        for (const auto &[k, v] : params) {
            if (k == key)
                return v;
        }
        return std::nullopt;
    }
};

/// Splits @p text at the separator @p sep, never inside a quoted string.
QList<QByteArray> splitOutsideQuotes(QByteArrayView text, char sep) {
    QList<QByteArray> parts;
    QByteArray current;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"')
            quoted = !quoted;
        if (c == sep && !quoted) {
            parts << current.trimmed();
            current.clear();
        } else {
            current += c;
        }
    }
    parts << current.trimmed();
    return parts;
}

QList<Member> members(const QByteArray &value) {
    QList<Member> out;
    if (value.trimmed().isEmpty())
        return out;
    for (const auto &part : splitOutsideQuotes(value, ',')) {
        const auto pieces = splitOutsideQuotes(part, ';');
        Member m{pieces.first(), {}};
        for (qsizetype i = 1; i < pieces.size(); ++i) {
            const qsizetype eq = pieces[i].indexOf('=');
            if (eq > 0)
                m.params.append(
                    {pieces[i].left(eq).trimmed().toLower(), pieces[i].mid(eq + 1).trimmed()});
        }
        out << m;
    }
    return out;
}

/// A non-negative finite number, or nullopt.
std::optional<double> number(QByteArrayView text) {
    bool ok = false;
    const double v = text.toByteArray().trimmed().toDouble(&ok);
    return ok && std::isfinite(v) && v >= 0 ? std::optional(v) : std::nullopt;
}

std::optional<Duration> seconds(std::optional<double> s) {
    if (!s || *s > kLongestSeconds)
        return std::nullopt;
    return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(*s));
}

/// Every value of header @p name, joined as one list (a field may be sent more than once).
QByteArray allValues(const RawHeaders &headers, QByteArrayView name) {
    QByteArray joined;
    for (const auto &[k, v] : headers) {
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            joined += (joined.isEmpty() ? QByteArray() : QByteArray(", ")) + v;
    }
    return joined;
}

void keepLower(std::optional<double> &slot, std::optional<double> v) {
    if (v && (!slot || *v < *slot))
        slot = v;
}

/// Keeps the policy (quota per window) that allows the fewest requests per second.
void keepStricterPolicy(AnnouncedLimit &out, std::optional<double> quota,
                        std::optional<Duration> window) {
    if (!quota || !window || *window <= Duration::zero())
        return;
    const auto rate = [](double q, Duration w) {
        return q / std::chrono::duration<double>(w).count();
    };
    if (!out.window || rate(*quota, *window) < rate(*out.quota, *out.window)) {
        out.quota = quota;
        out.window = window;
    }
}

QByteArray unquoted(const QByteArray &text) {
    return text.size() >= 2 && text.startsWith('"') && text.endsWith('"')
               ? text.mid(1, text.size() - 2)
               : text;
}

/// The names of policies that count something other than requests (draft 08's `qu`: bytes,
/// concurrent requests): neither they nor their remaining quota pace requests.
QList<QByteArray> notRequestPolicies(const QList<Member> &policies) {
    QList<QByteArray> names;
    for (const auto &m : policies) {
        if (const auto unit = m.param("qu"); unit && unquoted(*unit) != "requests")
            names << unquoted(m.item);
    }
    return names;
}

/// `RateLimit-Policy: 10;w=1, 100;w=60` or `"burst";q=10;w=1`; also the policies that the older
/// drafts appended to `RateLimit-Limit` (`10, 10;w=1`).
void readPolicies(const QList<Member> &list, const QList<QByteArray> &skip, AnnouncedLimit &out) {
    for (const auto &m : list) {
        if (skip.contains(unquoted(m.item)))
            continue;
        const auto q = m.param("q") ? number(*m.param("q")) : number(m.item);
        const auto w = m.param("w");
        if (w)
            keepStricterPolicy(out, q, seconds(number(*w)));
    }
}

/// `RateLimit: limit=10, remaining=5, reset=1` (draft 07) or `"default";r=5;t=1` (draft 08 on),
/// where the policy with the least left gives both the remaining quota and its reset.
void readCombined(const QList<Member> &list, const QList<QByteArray> &skip, AnnouncedLimit &out) {
    for (const auto &m : list) {
        const qsizetype eq = m.item.indexOf('=');
        if (eq > 0) {
            const QByteArray key = m.item.left(eq).trimmed().toLower();
            const auto v = number(m.item.mid(eq + 1));
            if (key == "limit" && !out.window)
                keepLower(out.quota, v);
            else if (key == "remaining")
                keepLower(out.remaining, v);
            else if (key == "reset" && seconds(v))
                out.reset = std::max(out.reset.value_or(Duration::zero()), *seconds(v));
            continue;
        }
        const auto r = m.param("r") ? number(*m.param("r")) : std::nullopt;
        if (!r || skip.contains(unquoted(m.item)) || (out.remaining && *out.remaining <= *r))
            continue;
        out.remaining = r;
        out.reset = m.param("t") ? seconds(number(*m.param("t"))) : std::nullopt;
    }
}

/// A reset given as a Unix time or as seconds to wait.
std::optional<Duration> resetDelay(std::optional<double> value, const QDateTime &nowUtc) {
    if (value && *value >= kUnixTimeFloor)
        return seconds(std::max(0.0, *value - double(nowUtc.toSecsSinceEpoch())));
    return seconds(value);
}
} // namespace

AnnouncedLimit parseAnnouncedLimit(const RawHeaders &headers, const QDateTime &nowUtc) {
    AnnouncedLimit out;
    const auto policies = members(allValues(headers, "RateLimit-Policy"));
    const auto skip = notRequestPolicies(policies);
    readPolicies(policies, skip, out);
    const auto limitList = members(allValues(headers, "RateLimit-Limit"));
    readPolicies(limitList.mid(1), skip, out);
    readCombined(members(allValues(headers, "RateLimit")), skip, out);
    if (!limitList.isEmpty() && !out.window)
        keepLower(out.quota, number(limitList.first().item));
    keepLower(out.remaining, number(allValues(headers, "RateLimit-Remaining")));
    if (const auto r = resetDelay(number(allValues(headers, "RateLimit-Reset")), nowUtc))
        out.reset = r;
    // GitHub's and many others' older names, read only when the draft's are absent.
    if (!out.quota && !out.window)
        keepLower(out.quota, number(allValues(headers, "X-RateLimit-Limit")));
    if (!out.remaining)
        keepLower(out.remaining, number(allValues(headers, "X-RateLimit-Remaining")));
    if (!out.reset)
        out.reset = resetDelay(number(allValues(headers, "X-RateLimit-Reset")), nowUtc);
    return out;
}

} // namespace vigil::net
