// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace vigil::mqtt {

/// @brief One value taken from a JSON payload: the series' field name and its RFC 6901 pointer.
struct Field {
    QString name;
    QString pointer;
    bool operator==(const Field &) const = default;
};

/// @brief Where a broker is: `mqtt://host[:1883]` or `mqtts://host[:8883]`.
struct BrokerAddress {
    bool tls = false;
    QString host;
    int port = 1883;
    /// "host:port", the part of ids and messages that names the broker (never credentials).
    [[nodiscard]] QString hostPort() const;
};

/// Parses a broker URL; nullopt with @p error when it is not one. User info in the URL is
/// refused, so that a password never sits in a dashboard file.
[[nodiscard]] std::optional<BrokerAddress> parseBrokerUrl(const QString &url, QString *error);

/// @brief An MQTT source as a dashboard file and the Add dialog describe it.
struct MqttSpec {
    QString broker;           ///< mqtt://host[:port] or mqtts://host[:port]
    QString topic;            ///< a subscription filter, with + and #
    QList<Field> fields;      ///< empty: each payload is a bare number
    QString timestampPointer; ///< empty: readings get their receive time
    int qos = 0;
    QString namePattern;        ///< e.g. "{1}/{field}"; empty: the topic, then "/field" if fields
    int expectedIntervalMs = 0; ///< 0: never stale; else stale after 3x this without a message
    QString clientId;           ///< set: a persistent session under this id; empty: a clean session
    QString username;
    QString passwordEnv; ///< the environment variable that holds the password
    QString caFile;      ///< mqtts: the CA that signed the broker (empty: the system's CAs)
    QString certFile;    ///< mqtts: an optional client certificate, with keyFile
    QString keyFile;
    QString unit;     ///< every series' unit
    int protocol = 4; ///< 4: MQTT 3.1.1, 5: MQTT 5
    int maxSeries = 1000;
    /// In memory only (the dialog, or passwordEnv read at start): never written to a file or a
    /// log, and left out of operator==.
    QString password;

    [[nodiscard]] bool sameSource(const MqttSpec &o) const;
};

/// The id of the dashboard entry for @p spec: "mqtt:host:port/filter", without credentials.
[[nodiscard]] QString sourceId(const MqttSpec &spec);
/// The id of the series for @p topic's @p field (empty: a bare number) of @p spec's source:
/// "mqtt:host:port/filter|topic#field".
[[nodiscard]] QString seriesId(const MqttSpec &spec, const QString &topic, const QString &field);

/// The largest and default number of series one source may create.
inline constexpr int kDefaultMaxSeries = 1000;
inline constexpr int kMaxMaxSeries = 100000;

/// Why @p filter is not a valid subscription filter; empty when it is.
[[nodiscard]] QString topicFilterProblem(QStringView filter);
/// Whether the concrete @p topic matches the subscription @p filter (MQTT 3.1.1 section 4.7).
[[nodiscard]] bool topicMatches(QStringView filter, QStringView topic);
/// Why @p pattern is not a series-name pattern; empty when it is. Placeholders: {topic},
/// {field} and {N}, the N-th topic segment counted from 1.
[[nodiscard]] QString namePatternProblem(QStringView pattern);
/// The series name @p pattern gives for @p topic and @p field ({N} past the end: empty).
[[nodiscard]] QString seriesName(const QString &pattern, QStringView topic, const QString &field);
/// @p spec's pattern, or the default one when it names none.
[[nodiscard]] QString effectivePattern(const MqttSpec &spec);

/// A payload timestamp in ms since the epoch: a number in s, ms, µs or ns told apart by
/// magnitude, or an ISO-8601 / RFC 3339 string; nullopt for anything else.
[[nodiscard]] std::optional<qint64> parseTimestamp(const QJsonValue &value);

/// @brief One value a message carried, with its payload time when it had one.
struct PayloadSample {
    QString field; ///< empty for a bare number
    double value = 0;
    std::optional<qint64> timeMs;
};

/// @brief A value a payload could not give: for which field (empty: the whole payload) and why.
struct PayloadProblem {
    QString field;
    QString reason;
};

/// @brief What a payload gave: its samples, and the reason for each value it could not give.
struct DecodedPayload {
    QList<PayloadSample> samples;
    QList<PayloadProblem> problems;
};

/// Decodes a payload: a bare number (text or JSON) when @p fields is empty, else a JSON object
/// read through each field's pointer; a top-level JSON array is a batch of either. With a
/// @p timestampPointer each sample takes the time its object carries.
[[nodiscard]] DecodedPayload decodePayload(QByteArrayView payload, const QList<Field> &fields,
                                           const QString &timestampPointer);

} // namespace vigil::mqtt
