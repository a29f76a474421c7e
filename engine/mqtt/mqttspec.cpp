// SPDX-License-Identifier: Apache-2.0
#include "mqttspec.h"

#include <QUrl>

namespace vigil::mqtt {

QString BrokerAddress::hostPort() const {
    const bool v6 = host.contains(u':');
    return (v6 ? u'[' + host + u']' : host) + u':' + QString::number(port);
}

std::optional<BrokerAddress> parseBrokerUrl(const QString &url, QString *error) {
    const auto fail = [error](const QString &why) -> std::optional<BrokerAddress> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QUrl u(url.trimmed(), QUrl::StrictMode);
    if (!u.isValid() || u.host().isEmpty())
        return fail(QStringLiteral("must be a URL such as mqtt://host:1883"));
    const QString scheme = u.scheme().toLower();
    if (scheme != QLatin1String("mqtt") && scheme != QLatin1String("mqtts"))
        return fail(QStringLiteral("must start with mqtt:// or mqtts://"));
    if (!u.userInfo().isEmpty())
        return fail(QStringLiteral("must not hold a user or password: use username and "
                                   "password_env"));
    if (!u.path().isEmpty() && u.path() != QLatin1String("/"))
        return fail(QStringLiteral("names a broker, not a topic: put the topic in \"topic\""));
    BrokerAddress a;
    a.tls = scheme == QLatin1String("mqtts");
    a.host = u.host();
    a.port = u.port(a.tls ? 8883 : 1883);
    if (a.port <= 0)
        return fail(QStringLiteral("has no valid port"));
    return a;
}

bool MqttSpec::sameSource(const MqttSpec &o) const {
    return broker == o.broker && topic == o.topic && fields == o.fields &&
           timestampPointer == o.timestampPointer && qos == o.qos && namePattern == o.namePattern &&
           expectedIntervalMs == o.expectedIntervalMs && clientId == o.clientId &&
           username == o.username && passwordEnv == o.passwordEnv && caFile == o.caFile &&
           certFile == o.certFile && keyFile == o.keyFile && protocol == o.protocol &&
           maxSeries == o.maxSeries && unit == o.unit;
}

namespace {
QString brokerPrefix(const MqttSpec &spec) {
    const auto address = parseBrokerUrl(spec.broker, nullptr);
    return QStringLiteral("mqtt:") + (address ? address->hostPort() : spec.broker) + u'/';
}
} // namespace

QString sourceId(const MqttSpec &spec) {
    return brokerPrefix(spec) + spec.topic;
}

QString seriesId(const MqttSpec &spec, const QString &topic, const QString &field) {
    // Under the source's own id: two sources whose filters overlap never share a series.
    return sourceId(spec) + u'|' + topic + (field.isEmpty() ? QString() : u'#' + field);
}

QString topicFilterProblem(QStringView filter) {
    if (filter.isEmpty())
        return QStringLiteral("must not be empty");
    if (filter.size() > 65535)
        return QStringLiteral("is longer than MQTT allows");
    if (filter.contains(QChar(0)))
        return QStringLiteral("must not contain a NUL character");
    const auto levels = filter.split(u'/');
    for (qsizetype i = 0; i < levels.size(); ++i) {
        const QStringView level = levels.at(i);
        if (level.contains(u'#') && (level.size() != 1 || i != levels.size() - 1))
            return QStringLiteral("may use # only as the whole last level (\"a/#\")");
        if (level.contains(u'+') && level.size() != 1)
            return QStringLiteral("may use + only as a whole level (\"a/+/b\")");
    }
    return {};
}

bool topicMatches(QStringView filter, QStringView topic) {
    // Topics that start with $ (the broker's own) match no filter that starts with a wildcard.
    if (topic.startsWith(u'$') && (filter.startsWith(u'+') || filter.startsWith(u'#')))
        return false;
    const auto f = filter.split(u'/');
    const auto t = topic.split(u'/');
    for (qsizetype i = 0; i < f.size(); ++i) {
        if (f.at(i) == u"#")
            return true; // "a/#" matches "a" too: # includes the parent level
        if (i >= t.size())
            return false;
        if (f.at(i) != u"+" && f.at(i) != t.at(i))
            return false;
    }
    return f.size() == t.size();
}

namespace {
/// Calls @p onText for literal text and @p onPlaceholder for each {name}; false on bad syntax.
template <typename Text, typename Placeholder>
bool walkPattern(QStringView pattern, Text onText, Placeholder onPlaceholder) {
    qsizetype i = 0;
    while (i < pattern.size()) {
        const qsizetype open = pattern.indexOf(u'{', i);
        const qsizetype close = pattern.indexOf(u'}', i);
        if (open < 0) {
            if (close >= 0)
                return false;
            onText(pattern.mid(i));
            return true;
        }
        if (close >= 0 && close < open)
            return false;
        const qsizetype end = pattern.indexOf(u'}', open);
        if (end < 0)
            return false;
        onText(pattern.mid(i, open - i));
        if (!onPlaceholder(pattern.mid(open + 1, end - open - 1)))
            return false;
        i = end + 1;
    }
    return true;
}

int segmentNumber(QStringView name) {
    bool ok = false;
    const int n = name.toInt(&ok);
    return ok && n >= 1 && n <= 1000 ? n : 0;
}
} // namespace

QString namePatternProblem(QStringView pattern) {
    const bool ok = walkPattern(
        pattern, [](QStringView) {},
        [](QStringView name) {
            return name == u"topic" || name == u"field" || segmentNumber(name) > 0;
        });
    if (!ok)
        return QStringLiteral("may hold text and {topic}, {field} or {N} (a topic level "
                              "counted from 1)");
    return {};
}

QString seriesName(const QString &pattern, QStringView topic, const QString &field) {
    const auto levels = topic.split(u'/');
    QString out;
    walkPattern(
        pattern, [&out](QStringView text) { out += text; },
        [&](QStringView name) {
            if (name == u"topic")
                out += topic;
            else if (name == u"field")
                out += field;
            else if (const int n = segmentNumber(name); n > 0 && n <= levels.size())
                out += levels.at(n - 1);
            return true;
        });
    return out;
}

QString effectivePattern(const MqttSpec &spec) {
    if (!spec.namePattern.isEmpty())
        return spec.namePattern;
    return spec.fields.isEmpty() ? QStringLiteral("{topic}") : QStringLiteral("{topic}/{field}");
}

} // namespace vigil::mqtt
