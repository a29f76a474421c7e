// SPDX-License-Identifier: Apache-2.0
#include "unknownkeys.h"

#include <QJsonArray>

#include <algorithm>

namespace vigil::dashboard {

namespace {
// Each object's keys, so that a typo is named instead of silently falling back to a default.
const QStringList kRootKeys = {QStringLiteral("version"),     QStringLiteral("window_s"),
                               QStringLiteral("retention_s"), QStringLiteral("mode"),
                               QStringLiteral("sensors"),     QStringLiteral("charts"),
                               QStringLiteral("hidden"),      QStringLiteral("alarms_mqtt")};
const QStringList kThresholdKeys = {QStringLiteral("low_alarm"), QStringLiteral("low_warn"),
                                    QStringLiteral("high_warn"), QStringLiteral("high_alarm"),
                                    QStringLiteral("deadband"),  QStringLiteral("delay_s")};
constexpr qsizetype kMaxWarnings = 20;

QStringList sensorKeys(const QString &type) {
    QStringList keys = {QStringLiteral("type"),       QStringLiteral("unit"),
                        QStringLiteral("color"),      QStringLiteral("interval_ms"),
                        QStringLiteral("timeout_ms"), QStringLiteral("thresholds")};
    if (type == QLatin1String("system"))
        keys << QStringLiteral("id");
    else
        keys << QStringLiteral("name");
    if (type == QLatin1String("simulated"))
        keys << QStringLiteral("setpoint") << QStringLiteral("sigma")
             << QStringLiteral("latency_ms") << QStringLiteral("latency_max_ms")
             << QStringLiteral("seed");
    if (type == QLatin1String("http_json"))
        keys << QStringLiteral("url") << QStringLiteral("pointer") << QStringLiteral("headers")
             << QStringLiteral("headers_env") << QStringLiteral("secret_headers");
    if (type == QLatin1String("mqtt"))
        keys << QStringLiteral("broker") << QStringLiteral("topic") << QStringLiteral("fields")
             << QStringLiteral("timestamp") << QStringLiteral("qos")
             << QStringLiteral("expected_interval_ms") << QStringLiteral("client_id")
             << QStringLiteral("username") << QStringLiteral("password_env")
             << QStringLiteral("ca_file") << QStringLiteral("cert_file")
             << QStringLiteral("key_file") << QStringLiteral("protocol")
             << QStringLiteral("max_series");
    if (type == QLatin1String("prometheus"))
        keys << QStringLiteral("url") << QStringLiteral("query") << QStringLiteral("token_env")
             << QStringLiteral("username") << QStringLiteral("password_env")
             << QStringLiteral("max_series");
    if (type == QLatin1String("modbus"))
        keys << QStringLiteral("host") << QStringLiteral("port") << QStringLiteral("unit_id")
             << QStringLiteral("table") << QStringLiteral("address") << QStringLiteral("modicon")
             << QStringLiteral("data_type") << QStringLiteral("word_order")
             << QStringLiteral("scale") << QStringLiteral("offset")
             << QStringLiteral("max_per_request");
    if (type == QLatin1String("lines"))
        keys << QStringLiteral("transport") << QStringLiteral("device") << QStringLiteral("url")
             << QStringLiteral("baud") << QStringLiteral("framing") << QStringLiteral("format")
             << QStringLiteral("columns") << QStringLiteral("fields") << QStringLiteral("timestamp")
             << QStringLiteral("expected_interval_ms") << QStringLiteral("max_series");
    return keys;
}

qsizetype editDistance(QStringView a, QStringView b) {
    QList<qsizetype> row(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (qsizetype i = 1; i <= a.size(); ++i) {
        qsizetype diagonal = row[0];
        row[0] = i;
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const qsizetype up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                               diagonal + (a[i - 1].toLower() == b[j - 1].toLower() ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

void warnUnknown(const QJsonObject &o, const QString &path, const QStringList &known,
                 QList<ConfigError> *warnings) {
    for (const QString &key : o.keys()) {
        if (known.contains(key) || warnings->size() > kMaxWarnings)
            continue;
        const QString at = path.isEmpty() ? key : path + u'.' + key;
        if (warnings->size() == kMaxWarnings) {
            warnings->append({{}, QStringLiteral("more unknown keys not listed")});
            continue;
        }
        QString closest;
        qsizetype best = std::max<qsizetype>(2, key.size() / 3) + 1;
        for (const QString &candidate : known) {
            if (const qsizetype d = editDistance(key.left(100), candidate); d < best) {
                best = d;
                closest = candidate;
            }
        }
        warnings->append({at.left(200), closest.isEmpty()
                                            ? QStringLiteral("unknown key, ignored")
                                            : QStringLiteral("unknown key, ignored (did you mean "
                                                             "%1?)")
                                                  .arg(closest)});
    }
}

} // namespace

void collectUnknownKeys(const QJsonObject &root, QList<ConfigError> *warnings) {
    warnUnknown(root, {}, kRootKeys, warnings);
    const QJsonArray sensors = root.value(QStringLiteral("sensors")).toArray();
    for (qsizetype i = 0; i < sensors.size(); ++i) {
        const QJsonObject s = sensors.at(i).toObject();
        const QString path = QStringLiteral("sensors[%1]").arg(i);
        warnUnknown(s, path, sensorKeys(s.value(QStringLiteral("type")).toString()), warnings);
        warnUnknown(s.value(QStringLiteral("thresholds")).toObject(),
                    path + QStringLiteral(".thresholds"), kThresholdKeys, warnings);
    }
}

} // namespace vigil::dashboard
