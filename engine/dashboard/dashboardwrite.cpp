// SPDX-License-Identifier: Apache-2.0
#include "configreader.h"
#include "dashboardconfig.h"
#include "dashboardsecrets.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vigil::dashboard {

namespace {
void putHttpSource(const SensorConfig &s, QJsonObject &o) {
    o.insert(QStringLiteral("url"), s.url.toString());
    o.insert(QStringLiteral("pointer"), s.pointer);
    QJsonObject headers;
    for (const auto &[k, v] : s.headers)
        headers.insert(QString::fromUtf8(k), QString::fromUtf8(v));
    if (!headers.isEmpty())
        o.insert(QStringLiteral("headers"), headers);
    QJsonObject fromEnv;
    for (const auto &[k, variable] : s.headersEnv)
        fromEnv.insert(QString::fromUtf8(k), variable);
    if (!fromEnv.isEmpty())
        o.insert(QStringLiteral("headers_env"), fromEnv);
    QJsonArray marked;
    for (const auto &name : s.secretHeaders)
        marked.append(QString::fromUtf8(name));
    if (!marked.isEmpty())
        o.insert(QStringLiteral("secret_headers"), marked);
}

QJsonObject sensorJson(const SensorConfig &s) {
    QJsonObject o{{QStringLiteral("type"), s.type},
                  {QStringLiteral("interval_ms"), s.intervalMs},
                  {QStringLiteral("timeout_ms"), s.timeoutMs}};
    if (s.type == QLatin1String("system")) {
        o.insert(QStringLiteral("id"), s.systemId);
    } else if (s.isStream()) {
        o.insert(QStringLiteral("unit"), s.unit); // its name is the series-name pattern
    } else {
        o.insert(QStringLiteral("name"), s.name);
        o.insert(QStringLiteral("unit"), s.unit);
    }
    if (!s.color.isEmpty())
        o.insert(QStringLiteral("color"), s.color);
    if (s.type == QLatin1String("simulated")) {
        o.insert(QStringLiteral("setpoint"), s.setpoint);
        o.insert(QStringLiteral("sigma"), s.sigma);
        o.insert(QStringLiteral("latency_ms"), s.latencyMs);
        o.insert(QStringLiteral("latency_max_ms"), s.latencyMaxMs);
        o.insert(QStringLiteral("seed"), double(s.seed));
    }
    if (s.type == QLatin1String("http_json"))
        putHttpSource(s, o);
    if (s.type == QLatin1String("mqtt"))
        detail::putMqttSource(s, o);
    if (s.type == QLatin1String("prometheus"))
        detail::putPromSource(s, o);
    if (s.type == QLatin1String("modbus"))
        detail::putModbusSensor(s, o);
    if (s.type == QLatin1String("lines"))
        detail::putLinesSource(s, o);
    QJsonObject t;
    const auto put = [&t](const char *key, const std::optional<double> &v) {
        if (v)
            t.insert(QLatin1String(key), *v);
    };
    put("low_alarm", s.thresholds.lowAlarm);
    put("low_warn", s.thresholds.lowWarn);
    put("high_warn", s.thresholds.highWarn);
    put("high_alarm", s.thresholds.highAlarm);
    if (s.thresholds.deadband > 0)
        t.insert(QStringLiteral("deadband"), s.thresholds.deadband);
    if (s.thresholds.delayS > 0)
        t.insert(QStringLiteral("delay_s"), s.thresholds.delayS);
    if (!t.isEmpty())
        o.insert(QStringLiteral("thresholds"), t);
    return o;
}
} // namespace

QByteArray serializeDashboard(const DashboardConfig &config, QStringList *dropped) {
    QJsonArray sensorArray;
    // Secrets stay in memory: only what persistableSensor() keeps reaches the file.
    for (const auto &s : config.sensors)
        sensorArray.append(sensorJson(persistableSensor(s, dropped)));
    QJsonArray charts;
    for (const auto &chart : config.charts)
        charts.append(QJsonArray::fromStringList(chart));
    QJsonObject root{{QStringLiteral("version"), 1},
                     {QStringLiteral("window_s"), config.windowS},
                     {QStringLiteral("retention_s"), config.retentionS},
                     {QStringLiteral("mode"), config.mode},
                     {QStringLiteral("sensors"), sensorArray},
                     {QStringLiteral("charts"), charts},
                     {QStringLiteral("hidden"), QJsonArray::fromStringList(config.hidden)}};
    if (!config.alarmsBroker.isEmpty())
        root.insert(QStringLiteral("alarms_mqtt"),
                    QJsonObject{{QStringLiteral("broker"), config.alarmsBroker},
                                {QStringLiteral("topic"), config.alarmsTopic}});
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace vigil::dashboard
