// SPDX-License-Identifier: Apache-2.0
#include "monitoringsession.h"

#include "chartlayout.h"
#include "io/recorder.h"
#include "sensorcolors.h"
#include "sensorfactory.h"

#include "lines/linessource.h"
#include "modbus/devicepool.h"
#include "mqtt/alarmpublisher.h"
#include "mqtt/mqttsource.h"
#include "net/httpclient.h"
#include "prometheus/promsource.h"
#include "sensors/instrumentsensor.h"
#include "sensors/sensorhub.h"
#include "util/logging.h"

namespace vigil::dashboard {

MonitoringSession::MonitoringSession(async::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_client(std::make_unique<net::HttpClient>(clock))
    , m_modbus(std::make_unique<modbus::DevicePool>(clock))
    , m_hub(std::make_unique<sensors::SensorHub>(clock))
    , m_recorder(std::make_unique<io::Recorder>(*m_hub, clock)) {
    connect(m_modbus.get(), &modbus::DevicePool::logMessage, this, &MonitoringSession::logMessage);
}

MonitoringSession::~MonitoringSession() {
    Q_ASSERT_X(m_shutDown || m_hub->ids().isEmpty(), "MonitoringSession",
               "destroyed without shutdown()");
}

bool MonitoringSession::addToHub(const SensorConfig &config) {
    if (m_hub->contains(config.id()) || m_streams.count(config.id()) > 0 ||
        m_promSources.count(config.id()) > 0 || m_lineSources.count(config.id()) > 0)
        return false;
    if (sourceCount() >= kMaxSensors) {
        // A dashboard holds at most this many: more would save a file that does not load again.
        Q_EMIT logMessage(tr("%1 not added: a dashboard holds at most %2 sensors")
                              .arg(config.id())
                              .arg(kMaxSensors));
        return false;
    }
    if (config.type == QLatin1String("mqtt"))
        return addStream(config);
    if (config.type == QLatin1String("prometheus"))
        return addPromSource(config);
    if (config.type == QLatin1String("lines"))
        return addLinesSource(config);
    QStringList problems;
    auto sensor = config.type == QLatin1String("modbus")
                      ? makeRegisterSensor(config)
                      : makeSensor(config, m_clock, *m_client, QStringLiteral("/"), &problems);
    if (!sensor) {
        Q_EMIT logMessage(tr("%1 is not available on this machine; skipped").arg(config.id()));
        return false;
    }
    for (const auto &problem : problems)
        Q_EMIT logMessage(tr("Sensor %1: %2").arg(config.name, problem));
    if (config.type == QLatin1String("http_json"))
        m_sources.insert(config.id(), config); // its ${ENV} references, not their values
    if (auto *instrument = dynamic_cast<sensors::InstrumentSensor *>(sensor.get()))
        connect(instrument, &sensors::InstrumentSensor::lifecycle, this,
                &MonitoringSession::logMessage);
    m_hub->add(sensor, config.thresholds);
    m_colors.insert(config.id(), config.color.isEmpty()
                                     ? pickSensorColor(m_colors.values(), config.id())
                                     : config.color);
    return true;
}

bool MonitoringSession::addSensor(const SensorConfig &config) {
    if (m_closing || !addToHub(config))
        return false;
    if (!config.isStream()) // a stream's series are charted as they appear
        ensureCharted(m_config.charts, config.id());
    m_hub->start();
    Q_EMIT layoutChanged();
    return true;
}

QCoro::Task<> MonitoringSession::removeSensor(QString id) {
    return serializedRemove(std::move(id), {});
}

void MonitoringSession::removeSensorInBackground(QString id) {
    if (!m_closing)
        m_tasks.spawn(serializedRemove(std::move(id), m_tasks.token()));
}

QCoro::Task<> MonitoringSession::serializedRemove(QString id, std::stop_token token) {
    if (m_closing)
        co_return;
    // The next change starts when this permit goes; an awaiter returned by a call is safe to
    // co_await directly (GCC 12's double free hits temporaries built inside the expression).
    const auto permit = co_await m_changes.acquire(token);
    auto closing = closeStreams(id);
    co_await closing;
    auto removal = m_hub->remove(id);
    co_await removal;
    removeSeries(m_config.charts, m_config.hidden, id);
    m_sources.remove(id);
    m_colors.remove(id);
    Q_EMIT layoutChanged();
}

QCoro::Task<> MonitoringSession::apply(DashboardConfig config) {
    return serializedApply(std::move(config), {});
}

void MonitoringSession::applyInBackground(DashboardConfig config) {
    if (!m_closing)
        m_tasks.spawn(serializedApply(std::move(config), m_tasks.token()));
}

// The token only stops the wait for this change's turn: a swap once begun runs to its end, so the
// hub never holds half of two dashboards.
QCoro::Task<> MonitoringSession::serializedApply(DashboardConfig config, std::stop_token token) {
    if (m_closing)
        co_return;
    // The next change starts when this permit goes; an awaiter returned by a call is safe to
    // co_await directly (GCC 12's double free hits temporaries built inside the expression).
    const auto permit = co_await m_changes.acquire(token);
    if (m_closing)
        co_return;
    co_await m_hub->stop();
    auto closing = closeStreams({});
    co_await closing;
    auto alarms = applyAlarmsOut(config.alarmsBroker, config.alarmsTopic);
    co_await alarms;
    for (const auto &id : m_hub->ids()) {
        auto removal = m_hub->remove(id);
        co_await removal;
    }
    m_config = config;
    m_sources.clear();
    m_colors.clear();
    m_hub->setRetention(std::chrono::seconds(config.retentionS));
    for (const auto &s : config.sensors)
        addToHub(s);
    // Keep the file's grouping for the sensors that exist here.
    m_config.charts = reconcileCharts(config.charts, m_hub->ids());
    m_hub->poller().setMode(config.mode == QLatin1String("sequential")
                                ? sensors::Poller::Mode::Sequential
                                : sensors::Poller::Mode::Concurrent);
    if (!m_closing) // shutdown() began while the old sensors closed: it stops these too
        m_hub->start();
    qCInfo(lcDashboard) << "dashboard applied:" << m_hub->ids().size() << "of"
                        << config.sensors.size() << "sensors available here";
    Q_EMIT layoutChanged();
}

QCoro::Task<> MonitoringSession::shutdown() {
    if (m_shutDown)
        co_return;
    m_closing = true;
    auto closing = m_tasks.close(); // queued background changes give up; the one in progress ends
    co_await closing;
    // So does an awaited apply() in progress, and the changes asked for before this.
    const auto permit = co_await m_changes.acquire();
    if (m_shutDown)
        co_return; // a concurrent shutdown() did the work
    auto recording = m_recorder->stop();
    co_await recording;
    auto polling = m_hub->stop(); // closes every sensor: instruments disconnect
    co_await polling;
    auto streams = closeStreams({}); // MQTT sources disconnect
    co_await streams;
    auto alarms = applyAlarmsOut(QString(), QString()); // and the alarm publisher
    co_await alarms;
    m_shutDown = true;
}

DashboardConfig MonitoringSession::current() const {
    DashboardConfig c = m_config;
    c.sensors.clear();
    QSet<QString> streamSeries;
    for (const auto &id : m_hub->ids()) {
        if (m_hub->sensor(id)->kind() == sensors::SensorKind::Stream) {
            streamSeries.insert(id); // its source's entry describes it
            continue;
        }
        SensorConfig s = describeSensor(*m_hub->sensor(id));
        if (const auto source = m_sources.constFind(id); source != m_sources.cend()) {
            s.url = source->url;
            s.headers = source->headers;
            s.headersEnv = source->headersEnv;
            s.secretHeaders = source->secretHeaders;
        }
        s.thresholds = m_hub->thresholds(id);
        s.color = m_colors.value(id);
        c.sensors << s;
    }
    for (const auto &[id, source] : m_streams)
        c.sensors << m_streamConfigs.value(id);
    for (const auto &[id, source] : m_promSources)
        c.sensors << m_promConfigs.value(id);
    for (const auto &[id, source] : m_lineSources)
        c.sensors << m_lineConfigs.value(id);
    // A stream's series are found again when their topics send; a file names only sources.
    for (auto &chart : c.charts)
        chart.removeIf([&streamSeries](const QString &s) { return streamSeries.contains(s); });
    c.charts.removeIf([](const QStringList &chart) { return chart.isEmpty(); });
    c.hidden.removeIf([&streamSeries](const QString &s) { return streamSeries.contains(s); });
    c.mode = m_hub->poller().mode() == sensors::Poller::Mode::Sequential
                 ? QStringLiteral("sequential")
                 : QStringLiteral("concurrent");
    return c;
}

void MonitoringSession::setCharts(const QList<QStringList> &charts) {
    m_config.charts = charts;
    Q_EMIT layoutChanged();
}

void MonitoringSession::setHidden(const QStringList &hidden) {
    m_config.hidden = hidden;
    Q_EMIT layoutChanged();
}

void MonitoringSession::setThresholds(const QString &id, const sensors::Thresholds &thresholds) {
    if (!m_hub->contains(id))
        return; // removed while its dialog was open
    m_hub->setThresholds(id, thresholds);
    Q_EMIT layoutChanged();
}

void MonitoringSession::setWindowSeconds(int seconds) {
    m_config.windowS = seconds;
}

void MonitoringSession::setSequential(bool sequential) {
    m_hub->poller().setMode(sequential ? sensors::Poller::Mode::Sequential
                                       : sensors::Poller::Mode::Concurrent);
}

} // namespace vigil::dashboard
