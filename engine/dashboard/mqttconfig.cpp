// SPDX-License-Identifier: Apache-2.0
// The keys of an MQTT source in a dashboard file (type "mqtt").
#include "configreader.h"

#include "net/jsonpointer.h"

#include <QJsonArray>

namespace vigil::dashboard::detail {

namespace {
bool readPointer(Reader &r, const QString &key, QString &out) {
    if (!r.string(key, out, false))
        return false;
    if (const QString why = net::jsonPointerSyntaxError(out); !out.isEmpty() && !why.isEmpty())
        return r.fail(key, why);
    return true;
}

bool readFields(Reader &r, mqtt::MqttSpec &m) {
    if (!r.has(QStringLiteral("fields")))
        return true;
    const QJsonValue v = r.object().value(QStringLiteral("fields"));
    if (!v.isObject() || v.toObject().isEmpty())
        return r.fail(QStringLiteral("fields"),
                      QStringLiteral("must be an object of field name: JSON pointer"));
    const QJsonObject o = v.toObject();
    if (o.size() > 64)
        return r.fail(QStringLiteral("fields"), QStringLiteral("at most 64 fields"));
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString at = QStringLiteral("fields.") + it.key();
        if (it.key().isEmpty() || it.key().size() > kMaxNameLength || it.key().contains(u'#'))
            return r.fail(at, QStringLiteral("a field name is 1 to 200 characters, without #"));
        if (!it.value().isString() || !net::jsonPointerSyntaxError(it.value().toString()).isEmpty())
            return r.fail(at, QStringLiteral("must be a JSON pointer such as \"/temp\""));
        m.fields.append({it.key(), it.value().toString()});
    }
    return true;
}

bool readTls(Reader &r, mqtt::MqttSpec &m, const mqtt::BrokerAddress &address) {
    if (!r.string(QStringLiteral("ca_file"), m.caFile, false) ||
        !r.string(QStringLiteral("cert_file"), m.certFile, false) ||
        !r.string(QStringLiteral("key_file"), m.keyFile, false))
        return false;
    const bool anyTls = !m.caFile.isEmpty() || !m.certFile.isEmpty() || !m.keyFile.isEmpty();
    if (anyTls && !address.tls)
        return r.fail(QStringLiteral("broker"),
                      QStringLiteral("must start with mqtts:// to use ca_file, cert_file or "
                                     "key_file"));
    if (m.certFile.isEmpty() != m.keyFile.isEmpty())
        return r.fail(m.certFile.isEmpty() ? QStringLiteral("cert_file")
                                           : QStringLiteral("key_file"),
                      QStringLiteral("a client certificate needs both cert_file and key_file"));
    return true;
}
} // namespace

bool readMqttSource(Reader &r, SensorConfig &s) {
    mqtt::MqttSpec &m = s.mqtt;
    QString why;
    if (!r.string(QStringLiteral("broker"), m.broker, true))
        return false;
    const auto address = mqtt::parseBrokerUrl(m.broker, &why);
    if (!address)
        return r.fail(QStringLiteral("broker"), why);
    if (!r.string(QStringLiteral("topic"), m.topic, true))
        return false;
    if (why = mqtt::topicFilterProblem(m.topic); !why.isEmpty())
        return r.fail(QStringLiteral("topic"), why);
    m.namePattern = s.name;
    if (why = mqtt::namePatternProblem(m.namePattern); !why.isEmpty())
        return r.fail(QStringLiteral("name"), why);
    if (!readFields(r, m) || !readPointer(r, QStringLiteral("timestamp"), m.timestampPointer) ||
        !r.integer(QStringLiteral("qos"), m.qos, 0, 1) ||
        !r.integer(QStringLiteral("expected_interval_ms"), m.expectedIntervalMs, 0, 86400000) ||
        !r.integer(QStringLiteral("max_series"), m.maxSeries, 1, mqtt::kMaxMaxSeries) ||
        !r.string(QStringLiteral("client_id"), m.clientId, false, 23 * 8) ||
        !r.string(QStringLiteral("username"), m.username, false, kMaxNameLength) ||
        !r.string(QStringLiteral("password_env"), m.passwordEnv, false, kMaxNameLength))
        return false;
    if (!m.passwordEnv.isEmpty() && !isVariableName(m.passwordEnv))
        return r.fail(QStringLiteral("password_env"),
                      QStringLiteral("must name an environment variable"));
    QString protocol = QStringLiteral("3.1.1");
    if (!r.string(QStringLiteral("protocol"), protocol, false, 8))
        return false;
    if (protocol != QLatin1String("3.1.1") && protocol != QLatin1String("5"))
        return r.fail(QStringLiteral("protocol"), QStringLiteral("must be \"3.1.1\" or \"5\""));
    m.protocol = protocol == QLatin1String("5") ? 5 : 4;
    if (m.protocol == 5 && !m.clientId.isEmpty())
        // libmosquitto 2.0's non-blocking connect sends no session expiry, so an MQTT 5 broker
        // would end the session at every disconnect and drop what it queued.
        return r.fail(QStringLiteral("client_id"),
                      QStringLiteral("a persistent session needs protocol \"3.1.1\" here"));
    return readTls(r, m, *address);
}

bool readAlarmsOut(Reader &root, DashboardConfig &c) {
    const QString key = QStringLiteral("alarms_mqtt");
    if (!root.has(key))
        return true;
    if (!root.object().value(key).isObject())
        return root.fail(key, QStringLiteral("must be an object with broker and topic"));
    Reader r(root.object().value(key).toObject(), root.at(key), nullptr);
    QString why;
    if (!r.string(QStringLiteral("broker"), c.alarmsBroker, true) ||
        !r.string(QStringLiteral("topic"), c.alarmsTopic, false))
        return root.fail(key, QStringLiteral("needs a broker URL and may name a topic"));
    const auto address = mqtt::parseBrokerUrl(c.alarmsBroker, &why);
    if (!address || address->tls)
        return root.fail(key + QStringLiteral(".broker"),
                         address ? QStringLiteral("must be mqtt:// (alarms over TLS are not "
                                                  "supported yet)")
                                 : why);
    if (c.alarmsTopic.isEmpty() || c.alarmsTopic.contains(u'+') || c.alarmsTopic.contains(u'#'))
        return root.fail(key + QStringLiteral(".topic"),
                         QStringLiteral("must be a topic without + or #"));
    return true;
}

void putMqttSource(const SensorConfig &s, QJsonObject &o) {
    const mqtt::MqttSpec &m = s.mqtt;
    o.insert(QStringLiteral("broker"), m.broker);
    o.insert(QStringLiteral("topic"), m.topic);
    o.insert(QStringLiteral("name"), m.namePattern);
    QJsonObject fields;
    for (const auto &f : m.fields)
        fields.insert(f.name, f.pointer);
    if (!fields.isEmpty())
        o.insert(QStringLiteral("fields"), fields);
    const auto putText = [&o](const char *key, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1String(key), value);
    };
    putText("timestamp", m.timestampPointer);
    putText("client_id", m.clientId);
    putText("username", m.username);
    putText("password_env", m.passwordEnv); // the variable's name; the password is never written
    putText("ca_file", m.caFile);
    putText("cert_file", m.certFile);
    putText("key_file", m.keyFile);
    o.insert(QStringLiteral("qos"), m.qos);
    if (m.expectedIntervalMs > 0)
        o.insert(QStringLiteral("expected_interval_ms"), m.expectedIntervalMs);
    if (m.maxSeries != mqtt::kDefaultMaxSeries)
        o.insert(QStringLiteral("max_series"), m.maxSeries);
    if (m.protocol == 5)
        o.insert(QStringLiteral("protocol"), QStringLiteral("5"));
}

} // namespace vigil::dashboard::detail
