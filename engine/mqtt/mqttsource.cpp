// SPDX-License-Identifier: Apache-2.0
#include "mqttsource.h"

#include "async/sleep.h"
#include "sensors/sensorhub.h"
#include "sensors/streamseries.h"
#include "util/logging.h"

#include <algorithm>

namespace vigil::mqtt {

struct MqttSource::Series {
    QString id;
    async::Clock::TimePoint lastMessage;
};

namespace {} // namespace

MqttSource::MqttSource(QString id, MqttSpec spec, sensors::SensorHub &hub, async::Clock &clock,
                       QObject *parent)
    : QObject(parent)
    , m_id(std::move(id))
    , m_spec(std::move(spec))
    , m_pattern(effectivePattern(m_spec))
    , m_seriesPrefix(mqtt::seriesId(m_spec, {}, {}))
    , m_hub(hub)
    , m_clock(clock)
    , m_client(std::make_unique<MqttClient>(clock, MqttClient::optionsFor(m_spec)))
    , m_status(std::make_shared<sensors::StreamStatus>()) {
    m_status->state = m_client->stateText();
    connect(m_client.get(), &MqttClient::message, this, &MqttSource::ingest);
    connect(m_client.get(), &MqttClient::stateChanged, this, &MqttSource::onClientState);
}

MqttSource::~MqttSource() = default;

void MqttSource::start() {
    m_client->start();
    watch();
}

void MqttSource::watch() {
    if (m_tasks.running() == 0 && !m_tasks.isClosed())
        m_tasks.spawn(watchStaleness(m_tasks.token()));
}

QCoro::Task<> MqttSource::stop() {
    auto watching = m_tasks.close();
    co_await watching;
    auto disconnecting = m_client->stop();
    co_await disconnecting;
}

QString MqttSource::seriesId(const QString &topic, const QString &field) const {
    // Per message: the prefix is built once (mqtt::seriesId parses the broker URL each time).
    return m_seriesPrefix + topic + (field.isEmpty() ? QString() : u'#' + field);
}

void MqttSource::ingest(const QString &topic, const QByteArray &payload, bool retained) {
    ++m_messages;
    const qint64 receivedMs = m_clock.wallNow().toMSecsSinceEpoch();
    deliver(topic, decodePayload(payload, m_spec.fields, m_spec.timestampPointer), retained,
            receivedMs);
}

MqttSource::Series *MqttSource::seriesFor(const QString &topic, const QString &field) {
    const QString id = seriesId(topic, field);
    if (const auto it = m_series.find(id); it != m_series.end())
        return it->second.get();
    if (m_series.size() >= std::size_t(m_spec.maxSeries)) {
        ++m_overCap;
        if (!m_capLogged) {
            m_capLogged = true; // one line, not one per message: thousands may follow
            Q_EMIT logMessage(tr("MQTT %1: %2 series, the most this source takes; \"%3\" and "
                                 "any later new topic are not shown (raise max_series)")
                                  .arg(m_spec.topic)
                                  .arg(m_spec.maxSeries)
                                  .arg(topic));
        }
        return nullptr;
    }
    auto series = std::make_shared<Series>(Series{id, m_clock.now()});
    m_series.emplace(id, series);
    m_seriesOrder << id;
    m_hub.addStream(std::make_shared<sensors::StreamSeries>(id, seriesName(m_pattern, topic, field),
                                                            m_spec.unit, m_id, m_status),
                    m_thresholds);
    Q_EMIT seriesAdded(id);
    return series.get();
}

void MqttSource::deliver(const QString &topic, const DecodedPayload &decoded, bool retained,
                         qint64 receivedMs) {
    std::optional<qint64> latestPayloadTime;
    for (const auto &sample : decoded.samples) {
        Series *series = seriesFor(topic, sample.field);
        if (!series)
            continue; // past the cap; the message's other fields may have series
        series->lastMessage = m_clock.now();
        sensors::Reading r;
        r.timeMs = sample.timeMs.value_or(receivedMs);
        r.slotTimeMs = r.timeMs;
        r.value = sample.value;
        if (sample.timeMs) {
            r.latencyMs = double(receivedMs - *sample.timeMs);
            latestPayloadTime =
                std::max(latestPayloadTime.value_or(*sample.timeMs), *sample.timeMs);
        }
        if (retained)
            r.message = sample.timeMs
                            ? tr("retained, %1 s old")
                                  .arg(double(receivedMs - *sample.timeMs) / 1000, 0, 'f', 1)
                            : tr("retained, age unknown");
        m_hub.ingest(series->id, r);
    }
    for (const auto &problem : decoded.problems) {
        ++m_badData;
        QStringList fields;
        if (!problem.field.isEmpty() || m_spec.fields.isEmpty())
            fields << problem.field;
        else
            for (const auto &f : m_spec.fields)
                fields << f.name;
        for (const auto &field : fields) {
            Series *series = seriesFor(topic, field);
            if (!series)
                continue;
            series->lastMessage = m_clock.now();
            sensors::Reading r;
            r.timeMs = r.slotTimeMs = receivedMs;
            r.error = sensors::ReadingError::BadData;
            r.message = problem.reason;
            m_hub.ingest(series->id, r);
        }
    }
    if (latestPayloadTime)
        deliverDelay(receivedMs - *latestPayloadTime, receivedMs);
}

void MqttSource::deliverDelay(qint64 delayMs, qint64 receivedMs) {
    const QString id = delaySeriesId();
    if (!m_hub.contains(id)) {
        m_hub.addStream(std::make_shared<sensors::StreamSeries>(
            id, tr("%1 delay").arg(m_spec.topic), QStringLiteral("ms"), m_id, m_status));
        m_seriesOrder << id;
        Q_EMIT seriesAdded(id);
    }
    sensors::Reading r;
    r.timeMs = r.slotTimeMs = receivedMs;
    r.value = double(delayMs);
    m_hub.ingest(id, r);
}

QCoro::Task<> MqttSource::watchStaleness(std::stop_token token) {
    using namespace std::chrono_literals;
    const auto expected = std::chrono::milliseconds(m_spec.expectedIntervalMs);
    const auto tick = expected > 0ms
                          ? std::clamp<std::chrono::milliseconds>(expected / 2, 100ms, 1000ms)
                          : 1000ms;
    while (true) {
        co_await async::sleepFor(m_clock, tick, token);
        const auto now = m_clock.now();
        m_rateMarks.emplace_back(now, m_messages);
        while (m_rateMarks.size() > 2 && now - m_rateMarks.front().first > 5s)
            m_rateMarks.pop_front();
        m_status->messagesPerSecond = messageRate();
        if (expected <= 0ms)
            continue;
        for (const auto &[id, series] : m_series) {
            if (!m_hub.contains(series->id))
                continue; // the operator removed it; the source goes on
            const bool stale = now - series->lastMessage > kStaleFactor * expected;
            if (stale && !m_hub.stats(series->id).stale)
                Q_EMIT logMessage(
                    tr("%1 is stale: no message for %2 s")
                        .arg(m_hub.sensor(series->id)->name())
                        .arg(std::chrono::duration<double>(now - series->lastMessage).count(), 0,
                             'f', 1));
            if (stale)
                m_hub.setStale(series->id, true);
        }
    }
}

double MqttSource::messageRate() const {
    if (m_rateMarks.size() < 2)
        return 0;
    const auto &[t0, n0] = m_rateMarks.front();
    const auto &[t1, n1] = m_rateMarks.back();
    const double seconds = std::chrono::duration<double>(t1 - t0).count();
    return seconds > 0 ? double(n1 - n0) / seconds : 0;
}

QString MqttSource::stateText() const {
    if (m_client->state() == MqttClient::State::Connected && !m_series.empty() &&
        std::all_of(m_series.cbegin(), m_series.cend(),
                    [this](const auto &s) { return m_hub.stats(s.first).stale; }))
        return tr("stale");
    return m_client->stateText();
}

void MqttSource::onClientState() {
    const auto state = m_client->state();
    const bool wasConnected = m_lastLoggedState == MqttClient::State::Connected;
    if (state == MqttClient::State::Connected) {
        Q_EMIT logMessage(tr("MQTT %1: connected, subscribed to %2")
                              .arg(m_client->options().address.hostPort(), m_spec.topic));
    } else if (state == MqttClient::State::Reconnecting && wasConnected) {
        // The outage shows as a gap in every series, not as a line drawn across it.
        const qint64 nowMs = m_clock.wallNow().toMSecsSinceEpoch();
        for (const auto &id : std::as_const(m_seriesOrder)) {
            sensors::Reading r;
            r.timeMs = r.slotTimeMs = nowMs;
            r.error = sensors::ReadingError::Unavailable;
            r.message = m_client->lastError();
            m_hub.ingest(id, r);
        }
        Q_EMIT logMessage(tr("MQTT %1: connection lost (%2); reconnecting")
                              .arg(m_client->options().address.hostPort(), m_client->lastError()));
    }
    m_lastLoggedState = state;
    m_status->state = m_client->stateText();
    m_status->connected = state == MqttClient::State::Connected;
    Q_EMIT stateChanged();
}

} // namespace vigil::mqtt
