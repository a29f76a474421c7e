// SPDX-License-Identifier: Apache-2.0
// MonitoringSession's stream sources: MQTT subscriptions whose series appear as topics send.
#include "monitoringsession.h"

#include "chartlayout.h"
#include "sensorcolors.h"

#include "mqtt/alarmpublisher.h"
#include "mqtt/mqttsource.h"
#include "mqtt/topicdiscovery.h"
#include "sensors/sensorhub.h"
#include "sensors/streamseries.h"

#include <QTimer>

#include <utility>

namespace vigil::dashboard {

QList<mqtt::MqttSource *> MonitoringSession::streams() const {
    QList<mqtt::MqttSource *> out;
    for (const auto &[id, source] : m_streams)
        out << source.get();
    return out;
}

qsizetype MonitoringSession::sourceCount() const {
    return m_hub->poller().sensors().size() + qsizetype(m_streams.size()) +
           qsizetype(m_promSources.size()) + qsizetype(m_lineSources.size());
}

bool MonitoringSession::addStream(const SensorConfig &config) {
    const QString id = config.id();
    if (m_streams.count(id) > 0)
        return false;
    mqtt::MqttSpec spec = config.mqtt;
    spec.unit = config.unit;
    if (!spec.passwordEnv.isEmpty()) {
        // Read at start and held in memory only: never written back, never logged.
        spec.password = qEnvironmentVariable(spec.passwordEnv.toUtf8().constData());
        if (spec.password.isEmpty())
            Q_EMIT logMessage(tr("MQTT %1: environment variable %2 is not set; connecting "
                                 "without a password")
                                  .arg(id, spec.passwordEnv));
    }
    auto source = std::make_unique<mqtt::MqttSource>(id, spec, *m_hub, m_clock);
    source->setThresholds(config.thresholds);
    connect(source.get(), &mqtt::MqttSource::logMessage, this, &MonitoringSession::logMessage);
    connect(source.get(), &mqtt::MqttSource::seriesAdded, this,
            [this, id](const QString &seriesId) { chartStreamSeries(id, seriesId); });
    source->start();
    m_streams.emplace(id, std::move(source));
    SensorConfig kept = config;
    kept.mqtt.password.clear(); // a dialog's password lives in the source's client only
    m_streamConfigs.insert(id, kept);
    return true;
}

namespace {
/// The field a stream series carries ("" for a bare number): what its id has after '#'.
QString fieldOf(const QString &seriesId) {
    const qsizetype hash = seriesId.indexOf(u'#', seriesId.lastIndexOf(u'|'));
    return hash < 0 ? QString() : seriesId.mid(hash + 1);
}
} // namespace

void MonitoringSession::chartStreamSeries(const QString &sourceId, const QString &seriesId) {
    m_colors.insert(seriesId, pickSensorColor(m_colors.values(), seriesId));
    const auto it = m_streams.find(sourceId);
    if (it == m_streams.end() || seriesId == it->second->delaySeriesId())
        return; // the delay is in the status table and the recording, not on a chart
    const auto charted = [this](const QString &s) {
        return std::any_of(m_config.charts.cbegin(), m_config.charts.cend(),
                           [&s](const QStringList &chart) { return chart.contains(s); });
    };
    const QStringList &siblings = it->second->seriesIds();
    if (std::count_if(siblings.begin(), siblings.end(), charted) >= kChartedPerSource)
        return; // the status table lists it all the same (it follows the hub); no rebuild
    // A source's series of one field share a chart (pump rpm with pump rpm, not with amps): the
    // first one charted opens it.
    const QString field = fieldOf(seriesId);
    for (auto &chart : m_config.charts) {
        if (std::any_of(siblings.begin(), siblings.end(), [&](const QString &s) {
                return s != seriesId && fieldOf(s) == field && chart.contains(s);
            })) {
            chart << seriesId;
            layoutChangedSoon();
            return;
        }
    }
    ensureCharted(m_config.charts, seriesId);
    layoutChangedSoon();
}

void MonitoringSession::layoutChangedSoon() {
    if (std::exchange(m_layoutPending, true))
        return;
    QTimer::singleShot(0, this, [this] {
        m_layoutPending = false;
        Q_EMIT layoutChanged();
    });
}

QCoro::Task<> MonitoringSession::closeStreams(QString id) {
    QStringList ids;
    for (const auto &[sourceId, source] : m_streams) {
        if (id.isEmpty() || sourceId == id)
            ids << sourceId;
    }
    for (const auto &sourceId : ids) {
        auto node = m_streams.extract(sourceId);
        auto stopping = node.mapped()->stop();
        co_await stopping;
        for (const auto &seriesId : node.mapped()->seriesIds()) {
            auto removal = m_hub->remove(seriesId);
            co_await removal;
            removeSeries(m_config.charts, m_config.hidden, seriesId);
            m_colors.remove(seriesId);
        }
        m_streamConfigs.remove(sourceId);
    }
    auto prometheus = closePromSources(id); // the other kinds of stream source
    co_await prometheus;
    auto lineSources = closeLineSources(id);
    co_await lineSources;
}

namespace {
QCoro::Task<> discoverAndTell(async::Clock &clock, mqtt::MqttSpec spec,
                              std::chrono::milliseconds duration,
                              std::function<void(const mqtt::Discovery &)> done,
                              std::stop_token token) {
    auto discovering = mqtt::discoverTopics(clock, std::move(spec), duration, std::move(token));
    const mqtt::Discovery found = co_await discovering;
    done(found);
}
} // namespace

void MonitoringSession::discoverTopicsInBackground(
    mqtt::MqttSpec spec, std::chrono::milliseconds duration,
    std::function<void(const mqtt::Discovery &)> done) {
    if (!m_closing)
        m_tasks.spawn(
            discoverAndTell(m_clock, std::move(spec), duration, std::move(done), m_tasks.token()));
}

QCoro::Task<> MonitoringSession::applyAlarmsOut(QString broker, QString topic) {
    if (m_alarmsOut) {
        auto stopping = m_alarmsOut->stop();
        co_await stopping;
        m_alarmsOut.reset();
    }
    const auto address = mqtt::parseBrokerUrl(broker, nullptr);
    if (!address || m_closing)
        co_return;
    m_alarmsOut = std::make_unique<mqtt::AlarmPublisher>(*m_hub, m_clock, *address, topic);
    m_alarmsOut->start();
    Q_EMIT logMessage(tr("Alarms are published to %1/… on %2").arg(topic, address->hostPort()));
}

} // namespace vigil::dashboard
