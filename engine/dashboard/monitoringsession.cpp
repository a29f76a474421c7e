#include "monitoringsession.h"

#include "io/recorder.h"
#include "sensorfactory.h"

#include "net/httpclient.h"
#include "sensors/instrumentsensor.h"
#include "sensors/sensorhub.h"

namespace vigil::dashboard {

MonitoringSession::MonitoringSession(async::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_client(std::make_unique<net::HttpClient>(clock))
    , m_hub(std::make_unique<sensors::SensorHub>(clock))
    , m_recorder(std::make_unique<io::Recorder>(*m_hub, clock)) {}

MonitoringSession::~MonitoringSession() {
    Q_ASSERT_X(m_shutDown || m_hub->ids().isEmpty(), "MonitoringSession",
               "destroyed without shutdown()");
}

bool MonitoringSession::addSensor(const SensorConfig &config) {
    if (m_hub->contains(config.id()))
        return false;
    auto sensor = makeSensor(config, m_clock, *m_client);
    if (!sensor) {
        Q_EMIT logMessage(tr("%1 is not available on this machine; skipped").arg(config.id()));
        return false;
    }
    if (auto *instrument = dynamic_cast<sensors::InstrumentSensor *>(sensor.get()))
        connect(instrument, &sensors::InstrumentSensor::lifecycle, this,
                &MonitoringSession::logMessage);
    m_hub->add(sensor, config.thresholds);
    bool charted = false;
    for (const auto &chart : m_config.charts)
        charted |= chart.contains(config.id());
    if (!charted)
        m_config.charts << QStringList{config.id()};
    m_hub->start();
    Q_EMIT layoutChanged();
    return true;
}

QCoro::Task<> MonitoringSession::removeSensor(QString id) {
    co_await m_hub->remove(id);
    for (auto &chart : m_config.charts)
        chart.removeAll(id);
    m_config.charts.removeAll(QStringList());
    m_config.hidden.removeAll(id);
    Q_EMIT layoutChanged();
}

QCoro::Task<> MonitoringSession::apply(DashboardConfig config) {
    co_await m_hub->stop();
    for (const auto &id : m_hub->ids()) {
        auto removal = m_hub->remove(id);
        co_await removal;
    }
    m_config = config;
    m_config.charts.clear();
    m_hub->setRetention(std::chrono::seconds(config.retentionS));
    for (const auto &s : config.sensors)
        addSensor(s);
    // Keep the file's grouping for the sensors that exist here.
    QList<QStringList> charts;
    for (auto chart : config.charts) {
        chart.erase(std::remove_if(chart.begin(), chart.end(),
                                   [this](const QString &id) { return !m_hub->contains(id); }),
                    chart.end());
        if (!chart.isEmpty())
            charts << chart;
    }
    for (const auto &id : m_hub->ids()) {
        bool charted = false;
        for (const auto &chart : charts)
            charted |= chart.contains(id);
        if (!charted)
            charts << QStringList{id};
    }
    m_config.charts = charts;
    m_config.hidden = config.hidden;
    m_hub->poller().setMode(config.mode == QLatin1String("sequential")
                                ? sensors::Poller::Mode::Sequential
                                : sensors::Poller::Mode::Concurrent);
    m_hub->start();
    Q_EMIT layoutChanged();
}

QCoro::Task<> MonitoringSession::shutdown() {
    if (m_shutDown)
        co_return;
    co_await m_recorder->stop();
    co_await m_hub->stop(); // closes every sensor: instruments disconnect
    m_shutDown = true;
}

DashboardConfig MonitoringSession::current() const {
    DashboardConfig c = m_config;
    c.sensors.clear();
    for (const auto &id : m_hub->ids()) {
        SensorConfig s = describeSensor(*m_hub->sensor(id));
        s.thresholds = m_hub->thresholds(id);
        c.sensors << s;
    }
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

void MonitoringSession::setWindowSeconds(int seconds) {
    m_config.windowS = seconds;
}

void MonitoringSession::setSequential(bool sequential) {
    m_hub->poller().setMode(sequential ? sensors::Poller::Mode::Sequential
                                       : sensors::Poller::Mode::Concurrent);
}

} // namespace vigil::dashboard
