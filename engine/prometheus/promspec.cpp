// SPDX-License-Identifier: Apache-2.0
#include "promspec.h"

#include <QRegularExpression>
#include <QStringList>
#include <QUrl>

namespace vigil::prometheus {

QString promSourceId(const PromSpec &spec) {
    const QUrl url(spec.url);
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    return QStringLiteral("prometheus:%1:%2%3?%4")
        .arg(url.host())
        .arg(url.port(url.scheme() == QLatin1String("https") ? 443 : 80))
        .arg(path, spec.query.simplified());
}

QString promSeriesName(const QString &pattern, const QMap<QString, QString> &labels) {
    if (pattern.isEmpty()) {
        QStringList parts;
        for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
            if (it.key() != QLatin1String("__name__"))
                parts << QStringLiteral("%1=\"%2\"").arg(it.key(), it.value());
        }
        const QString name = labels.value(QStringLiteral("__name__"));
        if (parts.isEmpty())
            return name.isEmpty() ? QStringLiteral("value") : name;
        return name + u'{' + parts.join(u',') + u'}';
    }
    static const QRegularExpression label(QStringLiteral(R"(\{([a-zA-Z_][a-zA-Z0-9_]*)\})"));
    QString out;
    qsizetype at = 0;
    for (auto it = label.globalMatch(pattern); it.hasNext();) {
        const auto m = it.next();
        out += pattern.mid(at, m.capturedStart() - at);
        out += labels.value(m.captured(1));
        at = m.capturedEnd();
    }
    out += pattern.mid(at);
    return out.trimmed();
}

QString promSpecProblem(const PromSpec &spec) {
    const QUrl url(spec.url, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        return QStringLiteral("url: give the server's http(s) address, e.g. "
                              "http://127.0.0.1:9090");
    if (!url.userInfo().isEmpty())
        return QStringLiteral("url: put no user or password in it; use username and "
                              "password_env");
    if (spec.query.trimmed().isEmpty())
        return QStringLiteral("query: give a PromQL expression, e.g. up");
    if (spec.intervalMs < 100 || spec.intervalMs > 3'600'000)
        return QStringLiteral("interval_ms: from 100 to 3600000");
    if (spec.maxSeries < 1 || spec.maxSeries > kMaxPromSeries)
        return QStringLiteral("max_series: from 1 to %1").arg(kMaxPromSeries);
    if (!spec.passwordEnv.isEmpty() && spec.username.isEmpty())
        return QStringLiteral("password_env: give username too");
    if (!spec.tokenEnv.isEmpty() && !spec.username.isEmpty())
        return QStringLiteral("token_env: give a token or a username, not both");
    return {};
}

} // namespace vigil::prometheus
