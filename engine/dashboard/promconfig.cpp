// SPDX-License-Identifier: Apache-2.0
// The keys of a Prometheus query source in a dashboard file (type "prometheus").
#include "configreader.h"

namespace vigil::dashboard::detail {

bool readPromSource(Reader &r, SensorConfig &s) {
    prometheus::PromSpec &p = s.prometheus;
    if (!r.has(QStringLiteral("interval_ms")))
        s.intervalMs = 5000; // a scrape interval's order, not a polled sensor's
    if (!r.has(QStringLiteral("timeout_ms")))
        s.timeoutMs = 15000;
    if (!r.string(QStringLiteral("url"), p.url, true) ||
        !r.string(QStringLiteral("query"), p.query, true, 16 * 1024) ||
        !r.string(QStringLiteral("token_env"), p.tokenEnv, false, kMaxNameLength) ||
        !r.string(QStringLiteral("username"), p.username, false, kMaxNameLength) ||
        !r.string(QStringLiteral("password_env"), p.passwordEnv, false, kMaxNameLength) ||
        !r.integer(QStringLiteral("max_series"), p.maxSeries, 1, prometheus::kMaxPromSeries))
        return false;
    for (const auto &[key, value] :
         {std::pair{"token_env", p.tokenEnv}, std::pair{"password_env", p.passwordEnv}}) {
        if (!value.isEmpty() && !isVariableName(value))
            return r.fail(QString::fromLatin1(key),
                          QStringLiteral("must name an environment variable"));
    }
    p.namePattern = s.name;
    p.unit = s.unit;
    p.intervalMs = s.intervalMs;
    if (const QString why = prometheus::promSpecProblem(p); !why.isEmpty()) {
        const qsizetype colon = why.indexOf(QLatin1String(": "));
        return r.fail(why.left(colon), why.mid(colon + 2));
    }
    return true;
}

void putPromSource(const SensorConfig &s, QJsonObject &o) {
    const prometheus::PromSpec &p = s.prometheus;
    o.insert(QStringLiteral("url"), p.url);
    o.insert(QStringLiteral("query"), p.query);
    if (!p.namePattern.isEmpty())
        o.insert(QStringLiteral("name"), p.namePattern);
    // The variables' names only: a token or a password never reaches a file.
    if (!p.tokenEnv.isEmpty())
        o.insert(QStringLiteral("token_env"), p.tokenEnv);
    if (!p.username.isEmpty())
        o.insert(QStringLiteral("username"), p.username);
    if (!p.passwordEnv.isEmpty())
        o.insert(QStringLiteral("password_env"), p.passwordEnv);
    if (p.maxSeries != prometheus::PromSpec{}.maxSeries)
        o.insert(QStringLiteral("max_series"), p.maxSeries);
}

} // namespace vigil::dashboard::detail
