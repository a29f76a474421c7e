// SPDX-License-Identifier: Apache-2.0
#include "instrumentsensor.h"

#include "async/sleep.h"

namespace vigil::sensors {

using namespace std::chrono_literals;

InstrumentSensor::InstrumentSensor(const QString &name, async::Clock &clock, quint32 seed)
    : Sensor(QStringLiteral("instrument:") + name, name, QStringLiteral("mV"),
             SensorKind::Instrument)
    , m_clock(clock)
    , m_walk(100, 1.5, 0.1, seed) {}

QCoro::Task<double> InstrumentSensor::read(std::stop_token token) {
    if (!m_connected) {
        Q_EMIT lifecycle(tr("%1: connecting").arg(name()));
        // Marked connected before the wait: a cancel mid-connect still leaves a half-open link
        // that close() must tear down.
        m_connected = true;
        co_await async::sleepFor(m_clock, 300ms, token);
        Q_EMIT lifecycle(tr("%1: connected").arg(name()));
    }
    co_await async::sleepFor(m_clock, 20ms, token);
    if (m_failNext > 0) {
        --m_failNext;
        Q_EMIT lifecycle(tr("%1: read failed").arg(name()));
        throw SensorError(ReadingError::Unavailable,
                          tr("instrument %1 did not answer").arg(name()));
    }
    co_return m_walk.next();
}

QCoro::Task<> InstrumentSensor::close() {
    if (!m_connected)
        co_return;
    m_connected = false;
    Q_EMIT lifecycle(tr("%1: disconnecting").arg(name()));
    co_await async::sleepFor(m_clock, 100ms);
    Q_EMIT lifecycle(tr("%1: disconnected").arg(name()));
}

} // namespace vigil::sensors
