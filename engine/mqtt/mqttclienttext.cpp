// SPDX-License-Identifier: Apache-2.0
// MqttClient's options from a source's spec, and its words for its state and for libmosquitto's
// errors, as an operator reads them.
#include "mqttclient.h"

#include <mosquitto.h>

#include <cstring>

namespace vigil::mqtt {

MqttClient::Options MqttClient::optionsFor(const MqttSpec &spec) {
    Options o;
    o.address = parseBrokerUrl(spec.broker, nullptr).value_or(BrokerAddress{});
    o.clientId = spec.clientId;
    o.username = spec.username;
    o.password = spec.password;
    o.caFile = spec.caFile;
    o.certFile = spec.certFile;
    o.keyFile = spec.keyFile;
    o.protocol = spec.protocol;
    o.topic = spec.topic;
    o.qos = spec.qos;
    return o;
}

QString MqttClient::stateText() const {
    switch (m_state) {
    case State::Idle:
        return m_configError.isEmpty() ? tr("stopped")
                                       : tr("not connecting: %1").arg(m_configError);
    case State::Connecting:
        return tr("connecting");
    case State::Connected:
        return tr("connected");
    case State::Reconnecting:
        return m_lastError.isEmpty() ? tr("reconnecting #%1").arg(m_failures)
                                     : tr("reconnecting #%1 (%2)").arg(m_failures).arg(m_lastError);
    }
    return {};
}

QString MqttClient::describeError(int rc, int savedErrno) const {
    const QString host = m_options.address.host;
    switch (rc) {
    case MOSQ_ERR_ERRNO:
        return QString::fromLocal8Bit(std::strerror(savedErrno));
    case MOSQ_ERR_EAI:
    case MOSQ_ERR_LOOKUP:
        return tr("cannot resolve host %1").arg(host);
    case MOSQ_ERR_TLS:
    case MOSQ_ERR_TLS_HANDSHAKE:
        if (m_lastLogError.contains(QLatin1String("host name verification failed")))
            return tr("TLS: the broker's certificate is not valid for host %1").arg(host);
        if (m_lastLogError.contains(QLatin1String("certificate verify failed")))
            return tr("TLS: the broker's certificate is not signed by %1")
                .arg(m_options.caFile.isEmpty() ? tr("a CA this system trusts")
                                                : tr("the CA in %1").arg(m_options.caFile));
        return tr("TLS: %1").arg(m_lastLogError.trimmed().isEmpty()
                                     ? QString::fromUtf8(mosquitto_strerror(rc))
                                     : m_lastLogError.trimmed().section(u'\n', -1));
    case MOSQ_ERR_CONN_LOST:
        return tr("the broker closed the connection");
    case MOSQ_ERR_KEEPALIVE:
        return tr("the broker stopped answering keepalive pings");
    default:
        return QString::fromUtf8(mosquitto_strerror(rc));
    }
}

} // namespace vigil::mqtt
