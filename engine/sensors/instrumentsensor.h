// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "meanrevertingwalk.h"
#include "sensor.h"

#include "async/clock.h"

#include <QObject>

namespace vigil::sensors {

/// @brief A simulated instrument with a connection: connect (0.3 s), reads, disconnect (0.1 s).
///
/// It connects on the first read, and close() always disconnects when connected, even after failed
/// reads or a cancelled connect: the C++ form of `async with instrument:`. Every step goes to the
/// lifecycle signal, which the app's log shows.
class InstrumentSensor : public QObject, public Sensor {
    Q_OBJECT
public:
    InstrumentSensor(const QString &name, async::Clock &clock, quint32 seed = 21);

    [[nodiscard]] QCoro::Task<double> read(std::stop_token token) override;
    [[nodiscard]] QCoro::Task<> close() override;

    [[nodiscard]] bool isConnected() const { return m_connected; }
    /// Makes the next @p count reads fail, for demos and tests of the lifecycle.
    void failNextReads(int count) { m_failNext = count; }

Q_SIGNALS:
    void lifecycle(const QString &event);

private:
    async::Clock &m_clock;
    MeanRevertingWalk m_walk;
    bool m_connected = false;
    int m_failNext = 0;
};

} // namespace vigil::sensors
