// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace vigil::sensors {

/// @brief The aggregate "cpu" line of /proc/stat, in clock ticks.
struct CpuTimes {
    quint64 busy = 0;
    quint64 idle = 0; ///< idle + iowait
    [[nodiscard]] quint64 total() const { return busy + idle; }
};

/// @brief One interface's counters from /proc/net/dev.
struct NetCounters {
    QString interface;
    quint64 rxBytes = 0;
    quint64 txBytes = 0;
};

[[nodiscard]] std::optional<CpuTimes> parseProcStat(QByteArrayView text);
/// CPU busy % between two samples; nullopt when no time passed.
[[nodiscard]] std::optional<double> cpuPercent(const CpuTimes &before, const CpuTimes &after);
/// Memory used %, from MemTotal and MemAvailable of /proc/meminfo.
[[nodiscard]] std::optional<double> parseMemoryUsedPercent(QByteArrayView text);
/// The 1-minute load average from /proc/loadavg.
[[nodiscard]] std::optional<double> parseLoadAverage(QByteArrayView text);
[[nodiscard]] QList<NetCounters> parseNetDev(QByteArrayView text);
/// A thermal zone's temp file (millidegrees Celsius) in °C.
[[nodiscard]] std::optional<double> parseMilliCelsius(QByteArrayView text);
/// A power supply's capacity file (0..100).
[[nodiscard]] std::optional<double> parseBatteryCapacity(QByteArrayView text);

} // namespace vigil::sensors
