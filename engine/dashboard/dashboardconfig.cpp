// SPDX-License-Identifier: Apache-2.0
#include "dashboardconfig.h"
#include "configreader.h"
#include "dashboardsecrets.h"
#include "sensorcolors.h"
#include "unknownkeys.h"

#include "net/headercheck.h"
#include "net/jsonpointer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace vigil::dashboard {

using namespace detail;

namespace {
const QStringList kTypes = {QStringLiteral("simulated"), QStringLiteral("instrument"),
                            QStringLiteral("system"),    QStringLiteral("http_json"),
                            QStringLiteral("mqtt"),      QStringLiteral("prometheus"),
                            QStringLiteral("modbus"),    QStringLiteral("lines")};
const QList<int> kWindows = {10, 60, 600, 3600};

/// headers_env (header name: environment variable) and secret_headers (names the user marks).
bool readSecretHeaderNames(Reader &r, SensorConfig &s) {
    if (r.has(QStringLiteral("headers_env"))) {
        const QJsonValue h = r.object().value(QStringLiteral("headers_env"));
        if (!h.isObject())
            return r.fail(QStringLiteral("headers_env"),
                          QStringLiteral("must be an object of header name: variable name"));
        const QJsonObject ho = h.toObject();
        for (auto it = ho.begin(); it != ho.end(); ++it) {
            const QString where = QStringLiteral("headers_env.") + it.key();
            if (!isVariableName(it.value().toString()))
                return r.fail(where, QStringLiteral("must name an environment variable"));
            if (const QString why = net::headerProblem(it.key().toUtf8(), {}); !why.isEmpty())
                return r.fail(where, why);
            s.headersEnv.append({it.key().toUtf8(), it.value().toString()});
        }
    }
    if (!r.has(QStringLiteral("secret_headers")))
        return true;
    const QJsonValue marked = r.object().value(QStringLiteral("secret_headers"));
    const QJsonArray names = marked.toArray();
    if (!marked.isArray() || names.size() > 100)
        return r.fail(QStringLiteral("secret_headers"),
                      QStringLiteral("must be an array of at most 100 header names"));
    for (const auto &name : names) {
        if (!name.isString() || !net::headerProblem(name.toString().toUtf8(), {}).isEmpty())
            return r.fail(QStringLiteral("secret_headers"),
                          QStringLiteral("must hold header names"));
        s.secretHeaders << name.toString().toUtf8();
    }
    return true;
}

/// The URL, pointer and headers of an HTTP JSON sensor.
bool readHttpSource(Reader &r, SensorConfig &s) {
    QString url;
    if (!r.string(QStringLiteral("url"), url, true) ||
        !r.string(QStringLiteral("pointer"), s.pointer, true))
        return false;
    s.url = QUrl(url, QUrl::StrictMode);
    if (!s.url.isValid() || s.url.host().isEmpty() ||
        (s.url.scheme() != QLatin1String("http") && s.url.scheme() != QLatin1String("https")))
        return r.fail(QStringLiteral("url"), QStringLiteral("must be an http:// or https:// URL"));
    if (const QString p = net::jsonPointerSyntaxError(s.pointer); !p.isEmpty())
        return r.fail(QStringLiteral("pointer"), p);
    if (r.has(QStringLiteral("headers"))) {
        const QJsonValue h = r.object().value(QStringLiteral("headers"));
        if (!h.isObject())
            return r.fail(QStringLiteral("headers"),
                          QStringLiteral("must be an object of name: value"));
        const QJsonObject ho = h.toObject();
        for (auto it = ho.begin(); it != ho.end(); ++it) {
            if (!it.value().isString())
                return r.fail(QStringLiteral("headers.") + it.key(),
                              QStringLiteral("must be a string"));
            const QByteArray headerName = it.key().toUtf8();
            const QByteArray headerValue = it.value().toString().toUtf8();
            if (const QString why = net::headerProblem(headerName, headerValue); !why.isEmpty())
                return r.fail(QStringLiteral("headers.") + it.key(), why);
            s.headers.append({headerName, headerValue});
        }
    }
    return readSecretHeaderNames(r, s);
}

bool readSensor(const QJsonValue &value, const QString &path, SensorConfig &s, ConfigError *error) {
    if (!value.isObject())
        return Reader({}, path, error).fail({}, QStringLiteral("must be an object"));
    Reader r(value.toObject(), path, error);
    if (!r.string(QStringLiteral("type"), s.type, true))
        return false;
    if (!kTypes.contains(s.type))
        return r.fail(QStringLiteral("type"), QStringLiteral("must be one of %1, not \"%2\"")
                                                  .arg(kTypes.join(QStringLiteral(", ")), s.type));
    if (s.type == QLatin1String("system")) {
        if (!r.string(QStringLiteral("id"), s.systemId, true))
            return false;
        if (!s.systemId.startsWith(QLatin1String("system:")))
            return r.fail(QStringLiteral("id"),
                          QStringLiteral("a system sensor id starts with \"system:\""));
        s.intervalMs = 1000;
        s.timeoutMs = 1000;
    } else if (!r.string(QStringLiteral("name"), s.name, !s.isStream(), kMaxNameLength)) {
        return false; // a stream source's name is the optional pattern of its series' names
    }
    if (!r.string(QStringLiteral("color"), s.color, false, 7))
        return false;
    if (!s.color.isEmpty() && !isSensorColor(s.color))
        return r.fail(QStringLiteral("color"), QStringLiteral("must be written #rrggbb"));
    if (!r.string(QStringLiteral("unit"), s.unit, false, kMaxNameLength) ||
        !r.integer(QStringLiteral("interval_ms"), s.intervalMs, 50, 3600000) ||
        !r.integer(QStringLiteral("timeout_ms"), s.timeoutMs, 10, 600000))
        return false;
    if (s.type == QLatin1String("simulated")) {
        double seed = s.seed;
        if (!r.number(QStringLiteral("setpoint"), s.setpoint, -1e12, 1e12) ||
            !r.number(QStringLiteral("sigma"), s.sigma, 0, 1e9) ||
            !r.integer(QStringLiteral("latency_ms"), s.latencyMs, 0, 600000) ||
            !r.number(QStringLiteral("seed"), seed, 0, 4294967295.0))
            return false;
        s.latencyMaxMs = s.latencyMs;
        if (!r.integer(QStringLiteral("latency_max_ms"), s.latencyMaxMs, s.latencyMs, 600000))
            return false;
        s.seed = quint32(seed);
    }
    if (s.type == QLatin1String("http_json") && !readHttpSource(r, s))
        return false;
    if (s.type == QLatin1String("mqtt") && !readMqttSource(r, s))
        return false;
    if (s.type == QLatin1String("prometheus") && !readPromSource(r, s))
        return false;
    if (s.type == QLatin1String("modbus") && !readModbusSensor(r, s))
        return false;
    if (s.type == QLatin1String("lines") && !readLinesSource(r, s))
        return false;
    if (r.has(QStringLiteral("thresholds"))) {
        const QJsonValue t = r.object().value(QStringLiteral("thresholds"));
        if (!t.isObject())
            return r.fail(QStringLiteral("thresholds"), QStringLiteral("must be an object"));
        Reader tr(t.toObject(), r.at(QStringLiteral("thresholds")), error);
        if (!tr.optionalNumber(QStringLiteral("low_alarm"), s.thresholds.lowAlarm) ||
            !tr.optionalNumber(QStringLiteral("low_warn"), s.thresholds.lowWarn) ||
            !tr.optionalNumber(QStringLiteral("high_warn"), s.thresholds.highWarn) ||
            !tr.optionalNumber(QStringLiteral("high_alarm"), s.thresholds.highAlarm) ||
            !tr.number(QStringLiteral("deadband"), s.thresholds.deadband, 0, 1e12) ||
            !tr.integer(QStringLiteral("delay_s"), s.thresholds.delayS, 0,
                        sensors::kMaxAlarmDelayS))
            return false;
        if (const QString p = s.thresholds.problem(); !p.isEmpty())
            return tr.fail({}, p);
    }
    return true;
}
} // namespace

QString SensorConfig::id() const {
    if (type == QLatin1String("simulated"))
        return QStringLiteral("sim:") + name;
    if (type == QLatin1String("instrument"))
        return QStringLiteral("instrument:") + name;
    if (type == QLatin1String("system"))
        return systemId;
    if (type == QLatin1String("mqtt"))
        return mqtt::sourceId(mqtt);
    if (type == QLatin1String("prometheus"))
        return prometheus::promSourceId(prometheus);
    if (type == QLatin1String("modbus"))
        return modbus::registerId(modbus);
    if (type == QLatin1String("lines"))
        return lines::linesSourceId(lines);
    return QStringLiteral("http:") + persistableUrl(url).toString() + u'#' + pointer;
}

namespace {
bool readSettings(Reader &root, DashboardConfig &c) {
    double version = 1;
    if (!root.number(QStringLiteral("version"), version, 1, 1) ||
        !root.integer(QStringLiteral("window_s"), c.windowS, 1, 86400) ||
        !root.integer(QStringLiteral("retention_s"), c.retentionS, 60, 86400) ||
        !root.string(QStringLiteral("mode"), c.mode, false))
        return false;
    if (!kWindows.contains(c.windowS)) {
        root.fail(QStringLiteral("window_s"), QStringLiteral("must be 10, 60, 600 or 3600"));
        return false;
    }
    if (c.mode != QLatin1String("concurrent") && c.mode != QLatin1String("sequential")) {
        root.fail(QStringLiteral("mode"),
                  QStringLiteral("must be \"concurrent\" or \"sequential\""));
        return false;
    }
    return readAlarmsOut(root, c);
}

bool readSensors(const QJsonObject &o, Reader &root, DashboardConfig &c, ConfigError *err) {
    const QJsonValue sensorsValue = o.value(QStringLiteral("sensors"));
    if (!sensorsValue.isArray()) {
        root.fail(QStringLiteral("sensors"), QStringLiteral("must be an array of sensors"));
        return false;
    }
    QStringList ids;
    const QJsonArray sensorArray = sensorsValue.toArray();
    if (sensorArray.size() > kMaxSensors) {
        root.fail(
            QStringLiteral("sensors"),
            QStringLiteral("at most %1 sensors, not %2").arg(kMaxSensors).arg(sensorArray.size()));
        return false;
    }
    for (qsizetype i = 0; i < sensorArray.size(); ++i) {
        SensorConfig s;
        const QString path = QStringLiteral("sensors[%1]").arg(i);
        if (!readSensor(sensorArray.at(i), path, s, err))
            return false;
        if (ids.contains(s.id())) {
            *err = {path, QStringLiteral("duplicates sensor \"%1\"").arg(s.id())};
            return false;
        }
        ids << s.id();
        c.sensors << s;
    }
    return true;
}

/// An array of the ids of @p c's sensors, at @p path.
bool readIdList(const QJsonValue &v, const QString &path, const DashboardConfig &c,
                QStringList &out, ConfigError *err, QSet<QString> &listed) {
    if (!v.isArray()) {
        *err = {path, QStringLiteral("must be an array of sensor ids")};
        return false;
    }
    const QJsonArray array = v.toArray();
    for (qsizetype j = 0; j < array.size(); ++j) {
        const QString given = array.at(j).toString();
        // Files saved before ids left URL secrets out name an HTTP sensor by its whole URL.
        const auto sensor =
            std::find_if(c.sensors.begin(), c.sensors.end(), [&given](const auto &s) {
                return s.id() == given ||
                       (s.type == QLatin1String("http_json") &&
                        QStringLiteral("http:") + s.url.toString() + u'#' + s.pointer == given);
            });
        if (!array.at(j).isString() || sensor == c.sensors.end()) {
            *err = {QStringLiteral("%1[%2]").arg(path).arg(j),
                    QStringLiteral("\"%1\" is not one of the sensors").arg(given)};
            return false;
        }
        const QString id = sensor->id();
        if (listed.contains(id)) {
            // Each series is drawn once: a file naming it 10,000 times must not build 10,000.
            *err = {QStringLiteral("%1[%2]").arg(path).arg(j),
                    QStringLiteral("\"%1\" is listed more than once").arg(given)};
            return false;
        }
        listed.insert(id);
        out << id;
    }
    return true;
}

bool readCharts(const QJsonObject &o, Reader &root, DashboardConfig &c, ConfigError *err) {
    if (!o.contains(QStringLiteral("charts"))) {
        for (const auto &s : c.sensors)
            c.charts << QStringList{s.id()};
        return true;
    }
    const QJsonValue charts = o.value(QStringLiteral("charts"));
    if (!charts.isArray()) {
        root.fail(QStringLiteral("charts"), QStringLiteral("must be an array of charts"));
        return false;
    }
    QSet<QString> charted;
    for (qsizetype i = 0; i < charts.toArray().size(); ++i) {
        QStringList chart;
        const QString path = QStringLiteral("charts[%1]").arg(i);
        if (!readIdList(charts.toArray().at(i), path, c, chart, err, charted))
            return false;
        if (chart.isEmpty()) {
            *err = {path, QStringLiteral("a chart needs at least one sensor")};
            return false;
        }
        c.charts << chart;
    }
    return true;
}
} // namespace

std::optional<DashboardConfig> parseDashboard(QByteArrayView json, ConfigError *error,
                                              QList<ConfigError> *warnings) {
    ConfigError local;
    ConfigError *err = error ? error : &local;
    *err = {};
    if (json.size() > kMaxDashboardBytes) {
        *err = {{},
                QStringLiteral("the file is larger than %1 KiB").arg(kMaxDashboardBytes / 1024)};
        return std::nullopt;
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *err = {{},
                QStringLiteral("not valid JSON: %1 at byte %2")
                    .arg(parseError.errorString())
                    .arg(parseError.offset)};
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *err = {{}, QStringLiteral("the file must hold a JSON object")};
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    Reader root(o, {}, err);
    DashboardConfig c;
    if (!readSettings(root, c) || !readSensors(o, root, c, err) || !readCharts(o, root, c, err))
        return std::nullopt;
    QSet<QString> hidden;
    if (o.contains(QStringLiteral("hidden")) &&
        !readIdList(o.value(QStringLiteral("hidden")), QStringLiteral("hidden"), c, c.hidden, err,
                    hidden))
        return std::nullopt;
    if (warnings)
        collectUnknownKeys(o, warnings);
    return c;
}

} // namespace vigil::dashboard
