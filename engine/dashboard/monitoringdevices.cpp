// SPDX-License-Identifier: Apache-2.0
// MonitoringSession's field devices: Modbus registers on shared connections, and serial, TCP
// and UDP line sources.
#include "monitoringsession.h"

#include "chartlayout.h"
#include "lines/linessource.h"
#include "modbus/devicepool.h"
#include "modbus/modbusdevice.h"
#include "modbus/registersensor.h"
#include "sensorcolors.h"
#include "sensors/sensorhub.h"

#include "async/cancellation.h"

namespace vigil::dashboard {

std::shared_ptr<sensors::Sensor> MonitoringSession::makeRegisterSensor(const SensorConfig &config) {
    auto sensor = std::make_shared<modbus::RegisterSensor>(config.modbus, config.name, config.unit,
                                                           *m_modbus);
    sensor->setInterval(std::chrono::milliseconds(config.intervalMs));
    sensor->setTimeout(std::chrono::milliseconds(config.timeoutMs));
    return sensor;
}

namespace {
QCoro::Task<> readAndTell(modbus::DevicePool &pool, modbus::RegisterSpec spec,
                          std::chrono::milliseconds timeout,
                          std::function<void(QList<quint16>, QString)> done,
                          std::stop_token token) {
    auto device = pool.acquire(spec.host, spec.port);
    QList<quint16> words;
    QString error;
    bool cancelled = false;
    try {
        auto reading =
            device->read({spec.unitId, spec.table, spec.address, spec.count(), spec.maxPerRequest},
                         timeout, token);
        words = co_await reading;
    } catch (const sensors::SensorError &e) {
        error = QString::fromStdString(e.what());
    } catch (const async::Cancelled &) {
        cancelled = true; // released below: a catch block cannot co_await
    }
    auto releasing = pool.release(std::move(device));
    co_await releasing;
    if (cancelled)
        throw async::Cancelled();
    done(words, error);
}
} // namespace

void MonitoringSession::readRegistersInBackground(
    modbus::RegisterSpec spec, std::chrono::milliseconds timeout,
    std::function<void(QList<quint16>, QString)> done) {
    if (!m_closing)
        m_tasks.spawn(
            readAndTell(*m_modbus, std::move(spec), timeout, std::move(done), m_tasks.token()));
}

bool MonitoringSession::addLinesSource(const SensorConfig &config) {
    const QString id = config.id();
    auto source = std::make_unique<lines::LinesSource>(id, config.lines, *m_hub, m_clock);
    source->setThresholds(config.thresholds);
    connect(source.get(), &lines::LinesSource::logMessage, this, &MonitoringSession::logMessage);
    connect(source.get(), &lines::LinesSource::seriesAdded, this,
            [this, id](const QString &seriesId) {
                m_colors.insert(seriesId, pickSensorColor(m_colors.values(), seriesId));
                // A line's fields are different quantities (°C, %, V): a chart each, up to
                // kChartedPerSource; the rest are in the status table and the recording.
                const auto it = m_lineSources.find(id);
                if (it == m_lineSources.end())
                    return;
                const QStringList &siblings = it->second->seriesIds();
                const auto charted =
                    std::count_if(siblings.begin(), siblings.end(), [this](const QString &s) {
                        return std::any_of(m_config.charts.cbegin(), m_config.charts.cend(),
                                           [&s](const QStringList &c) { return c.contains(s); });
                    });
                if (charted < kChartedPerSource) {
                    ensureCharted(m_config.charts, seriesId);
                    layoutChangedSoon();
                }
            });
    source->start();
    m_lineSources.emplace(id, std::move(source));
    m_lineConfigs.insert(id, config);
    return true;
}

QList<lines::LinesSource *> MonitoringSession::lineSources() const {
    QList<lines::LinesSource *> out;
    for (const auto &[id, source] : m_lineSources)
        out << source.get();
    return out;
}

bool MonitoringSession::writeLine(const QString &sourceId, const QByteArray &line, QString *error) {
    const auto it = m_lineSources.find(sourceId);
    if (it == m_lineSources.end()) {
        *error = tr("no line source %1").arg(sourceId);
        return false;
    }
    return it->second->writeLine(line, error);
}

QCoro::Task<> MonitoringSession::closeLineSources(QString id) {
    QStringList ids;
    for (const auto &[sourceId, source] : m_lineSources)
        if (id.isEmpty() || sourceId == id)
            ids << sourceId;
    for (const auto &sourceId : ids) {
        auto node = m_lineSources.extract(sourceId);
        auto stopping = node.mapped()->stop();
        co_await stopping;
        for (const auto &seriesId : node.mapped()->seriesIds()) {
            auto removal = m_hub->remove(seriesId);
            co_await removal;
            removeSeries(m_config.charts, m_config.hidden, seriesId);
            m_colors.remove(seriesId);
        }
        m_lineConfigs.remove(sourceId);
    }
}

} // namespace vigil::dashboard
