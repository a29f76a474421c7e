// SPDX-License-Identifier: Apache-2.0
#include "dashboardsecrets.h"

#include "net/headercheck.h"

#include <QRegularExpression>
#include <QUrlQuery>

namespace vigil::dashboard {

namespace {
const QRegularExpression &envReference() {
    static const QRegularExpression re(QStringLiteral("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}"));
    return re;
}

// A kept secret is references only, after at most an auth scheme ("Bearer ${TOKEN}"): any other
// text beside a reference could be part of the secret itself ("sk-live-${SUFFIX}").
bool onlyAuthScheme(const QString &value) {
    static const QRegularExpression shape(
        QStringLiteral("^\\s*(?:[A-Za-z]{1,20}\\s+)?(?:\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}\\s*)+$"));
    return shape.match(value).hasMatch();
}

QString sensorLabel(const SensorConfig &sensor) {
    return sensor.name.isEmpty() ? sensor.id() : sensor.name;
}
} // namespace

bool hasEnvReference(QStringView text) {
    return envReference().match(text.toString()).hasMatch();
}

QString expandEnvReferences(const QString &text, QStringList *missing) {
    QString out;
    qsizetype last = 0;
    auto it = envReference().globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        out += QStringView(text).mid(last, m.capturedStart() - last);
        const QString name = m.captured(1);
        if (qEnvironmentVariableIsSet(name.toLatin1().constData()))
            out += qEnvironmentVariable(name.toLatin1().constData());
        else if (missing && !missing->contains(name))
            *missing << name;
        last = m.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

QUrl persistableUrl(const QUrl &url, QStringList *dropped) {
    QUrl out = url;
    if (!url.password().isEmpty()) {
        out.setPassword({});
        if (dropped)
            *dropped << QStringLiteral("the URL's password");
    }
    if (!url.hasQuery())
        return out;
    QUrlQuery query(url);
    QUrlQuery kept;
    bool left = false;
    for (const auto &[name, value] : query.queryItems(QUrl::FullyEncoded)) {
        if (net::isSecretQueryName(QUrl::fromPercentEncoding(name.toUtf8()))) {
            if (dropped)
                *dropped << QStringLiteral("the URL's %1 parameter").arg(name);
            left = true;
            continue;
        }
        kept.addQueryItem(name, value);
    }
    if (!left) // the query as the user wrote it, not re-encoded
        return out;
    if (kept.isEmpty())
        out.setQuery(QString());
    else
        out.setQuery(kept.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return out;
}

SensorConfig persistableSensor(const SensorConfig &sensor, QStringList *dropped) {
    if (sensor.type == QLatin1String("mqtt")) {
        SensorConfig out = sensor;
        out.mqtt.password.clear(); // only password_env, the variable's name, reaches a file
        if (dropped && !sensor.mqtt.password.isEmpty() && sensor.mqtt.passwordEnv.isEmpty())
            *dropped << QStringLiteral("the password of MQTT source %1").arg(sensor.id());
        return out;
    }
    if (sensor.type != QLatin1String("http_json"))
        return sensor;
    SensorConfig out = sensor;
    QStringList left;
    out.url = persistableUrl(sensor.url, &left);
    out.headers.clear();
    for (const auto &[name, value] : sensor.headers) {
        const QString text = QString::fromUtf8(value);
        if (net::isSecretHeader(name, sensor.secretHeaders) && !onlyAuthScheme(text)) {
            left << QStringLiteral("the %1 header").arg(QString::fromUtf8(name));
            continue;
        }
        out.headers.append({name, value});
    }
    if (dropped) {
        for (const auto &what : left)
            *dropped << QStringLiteral("%1 of sensor %2").arg(what, sensorLabel(sensor));
    }
    return out;
}

net::RawHeaders resolvedHeaders(const SensorConfig &sensor, QStringList *problems) {
    net::RawHeaders out;
    const auto add = [&](const QByteArray &name, const QString &value, const QStringList &missing) {
        if (!missing.isEmpty()) {
            *problems << QStringLiteral("the %1 header is not sent: environment variable %2 is "
                                        "not set")
                             .arg(QString::fromUtf8(name), missing.join(QStringLiteral(", ")));
            return;
        }
        const QByteArray bytes = value.toUtf8();
        if (const QString why = net::headerProblem(name, bytes); !why.isEmpty()) {
            *problems << QStringLiteral("the %1 header is not sent: %2")
                             .arg(QString::fromUtf8(name), why);
            return;
        }
        out.append({name, bytes});
    };
    for (const auto &[name, value] : sensor.headers) {
        QStringList missing;
        add(name, expandEnvReferences(QString::fromUtf8(value), &missing), missing);
    }
    for (const auto &[name, variable] : sensor.headersEnv) {
        const QByteArray key = variable.toLatin1();
        add(name, qEnvironmentVariable(key.constData()),
            qEnvironmentVariableIsSet(key.constData()) ? QStringList() : QStringList{variable});
    }
    return out;
}

} // namespace vigil::dashboard
