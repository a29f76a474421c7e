// SPDX-License-Identifier: Apache-2.0
// MonitoringSession's field devices: Modbus registers on shared connections.
#include "monitoringsession.h"

#include "modbus/devicepool.h"
#include "modbus/modbusdevice.h"
#include "modbus/registersensor.h"

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

} // namespace vigil::dashboard
