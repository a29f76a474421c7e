// SPDX-License-Identifier: Apache-2.0
#include "registersensor.h"

#include "devicepool.h"

namespace vigil::modbus {

RegisterSensor::RegisterSensor(RegisterSpec spec, QString name, QString unit, DevicePool &pool)
    : Sensor(registerId(spec), std::move(name), std::move(unit), sensors::SensorKind::Modbus)
    , m_spec(std::move(spec))
    , m_pool(pool) {}

RegisterSensor::~RegisterSensor() {
    Q_ASSERT_X(!m_device, "~RegisterSensor", "await close() first");
}

double RegisterSensor::valueOf(const RegisterSpec &spec, const QList<quint16> &words) {
    const double raw = spec.isBits()
                           ? (words.value(0) ? 1.0 : 0.0)
                           : decodeRegisters(words.constData(), spec.dataType, spec.wordOrder);
    return raw * spec.scale + spec.offset;
}

QCoro::Task<double> RegisterSensor::read(std::stop_token token) {
    if (!m_device) // opened on the first read, and again after a close (a poller restart)
        m_device = m_pool.acquire(m_spec.host, m_spec.port);
    const Span span{m_spec.unitId, m_spec.table, m_spec.address, m_spec.count(),
                    m_spec.maxPerRequest};
    auto reading = m_device->read(span, timeout(), std::move(token));
    const QList<quint16> words = co_await reading;
    if (words.size() < m_spec.count())
        throw sensors::SensorError(
            sensors::ReadingError::BadData,
            QStringLiteral("%1 values for %2").arg(words.size()).arg(m_spec.count()));
    co_return valueOf(m_spec, words);
}

QCoro::Task<> RegisterSensor::close() {
    if (auto device = std::exchange(m_device, nullptr)) {
        auto releasing = m_pool.release(std::move(device));
        co_await releasing;
    }
}

} // namespace vigil::modbus
