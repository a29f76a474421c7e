// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dashboardconfig.h"

#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

// The dashboard file reader's pieces shared between its files; not for use elsewhere.
namespace vigil::dashboard::detail {

// Bounds that keep a hostile or mistaken file from costing gigabytes before a window appears.
constexpr qsizetype kMaxTextLength = 4096; // URLs, pointers, ids
constexpr qsizetype kMaxNameLength = 200;  // names and units, shown on charts

/// Reads one JSON object field by field, remembering the first problem with its path.
class Reader {
public:
    Reader(const QJsonObject &o, QString path, ConfigError *error)
        : m_o(o)
        , m_path(std::move(path))
        , m_error(error) {}

    bool fail(const QString &key, const QString &message) {
        if (m_error && m_error->message.isEmpty())
            *m_error = {key.isEmpty() ? m_path : at(key), message};
        return false;
    }
    [[nodiscard]] QString at(const QString &key) const {
        return m_path.isEmpty() ? key : m_path + u'.' + key;
    }
    [[nodiscard]] bool has(const QString &key) const { return m_o.contains(key); }

    bool string(const QString &key, QString &out, bool required,
                qsizetype maxLength = kMaxTextLength) {
        if (!has(key))
            return !required || fail(key, QStringLiteral("is required"));
        if (!m_o.value(key).isString())
            return fail(key, QStringLiteral("must be a string"));
        out = m_o.value(key).toString();
        if (out.size() > maxLength)
            return fail(key, QStringLiteral("must be at most %1 characters").arg(maxLength));
        if (required && out.trimmed().isEmpty())
            return fail(key, QStringLiteral("must not be empty"));
        return true;
    }
    bool number(const QString &key, double &out, double lo, double hi) {
        if (!has(key))
            return true;
        const QJsonValue v = m_o.value(key);
        if (!v.isDouble() || v.toDouble() < lo || v.toDouble() > hi)
            return fail(key, QStringLiteral("must be a number from %1 to %2").arg(lo).arg(hi));
        out = v.toDouble();
        return true;
    }
    bool integer(const QString &key, int &out, int lo, int hi) {
        double d = out;
        if (!number(key, d, lo, hi))
            return false;
        if (d != std::floor(d))
            return fail(key, QStringLiteral("must be a whole number"));
        out = int(d);
        return true;
    }
    bool optionalNumber(const QString &key, std::optional<double> &out) {
        if (!has(key))
            return true;
        if (!m_o.value(key).isDouble())
            return fail(key, QStringLiteral("must be a number"));
        out = m_o.value(key).toDouble();
        return true;
    }
    const QJsonObject &object() const { return m_o; }

private:
    QJsonObject m_o;
    QString m_path;
    ConfigError *m_error;
};

/// Whether @p name can name an environment variable (headers_env, password_env).
inline bool isVariableName(const QString &name) {
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return pattern.match(name).hasMatch();
}

/// Reads an MQTT source's keys (type "mqtt") into @p s.mqtt.
bool readMqttSource(Reader &r, SensorConfig &s);
/// The keys of a line source (linesconfig.cpp).
bool readLinesSource(Reader &r, SensorConfig &s);
void putLinesSource(const SensorConfig &s, QJsonObject &o);
/// The keys of a Modbus register sensor (modbusconfig.cpp).
bool readModbusSensor(Reader &r, SensorConfig &s);
void putModbusSensor(const SensorConfig &s, QJsonObject &o);
/// The keys of a Prometheus query source (promconfig.cpp).
bool readPromSource(Reader &r, SensorConfig &s);
/// Reads "alarms_mqtt": {"broker": …, "topic": …}, where threshold crossings are published.
bool readAlarmsOut(Reader &root, DashboardConfig &c);
/// Writes an MQTT source's keys; never a password.
void putMqttSource(const SensorConfig &s, QJsonObject &o);
void putPromSource(const SensorConfig &s, QJsonObject &o);

} // namespace vigil::dashboard::detail
