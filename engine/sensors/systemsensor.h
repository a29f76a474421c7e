// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sensor.h"
#include "systemparsers.h"

#include "async/clock.h"

#include <memory>

namespace vigil::sensors {

/// @brief What a SystemSensor measures, and where.
struct SystemProbe {
    enum Kind {
        CpuPercent,
        MemoryUsedPercent,
        LoadAverage,
        NetRxRate,
        NetTxRate,
        Thermal,
        Battery
    };
    Kind kind;
    QString path;      ///< the file it reads, under the root
    QString interface; ///< for the network rates
};

/// @brief One of this machine's own sensors, read from /proc or /sys (Linux).
///
/// Rates (CPU %, network bytes/s) need two samples: the first read takes a baseline, waits
/// 100 ms on the clock, and samples again.
class SystemSensor : public Sensor {
public:
    SystemSensor(QString id, QString name, QString unit, SystemProbe probe, async::Clock &clock);

    [[nodiscard]] QCoro::Task<double> read(std::stop_token token) override;

private:
    [[nodiscard]] QByteArray readFile() const;
    [[nodiscard]] std::optional<double> sampleOnce(qint64 nowNs);

    SystemProbe m_probe;
    async::Clock &m_clock;
    std::optional<CpuTimes> m_lastCpu;
    std::optional<quint64> m_lastBytes;
    qint64 m_lastNs = 0;
};

/// Every sensor this machine offers under @p root ("/" normally; a fixture folder in tests). What
/// is missing is simply absent.
[[nodiscard]] QList<std::shared_ptr<Sensor>> discoverSystemSensors(const QString &root,
                                                                   async::Clock &clock);

} // namespace vigil::sensors
