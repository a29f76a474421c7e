// SPDX-License-Identifier: Apache-2.0
#include "systemsensor.h"

#include "async/sleep.h"

#include <QDir>
#include <QFile>

namespace vigil::sensors {

using namespace std::chrono_literals;

namespace {
QByteArray slurp(const QString &path) {
    QFile f(path);
    // /proc files report size 0, so read to the end rather than by size.
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString firstLine(const QString &path) {
    return QString::fromUtf8(slurp(path)).section(u'\n', 0, 0).trimmed();
}
} // namespace

SystemSensor::SystemSensor(QString id, QString name, QString unit, SystemProbe probe,
                           async::Clock &clock)
    : Sensor(std::move(id), std::move(name), std::move(unit), SensorKind::System)
    , m_probe(std::move(probe))
    , m_clock(clock) {
    setInterval(1000ms);
    setTimeout(1000ms);
}

QByteArray SystemSensor::readFile() const {
    return slurp(m_probe.path);
}

std::optional<double> SystemSensor::sampleOnce(qint64 nowNs) {
    const QByteArray text = readFile();
    if (text.isEmpty())
        throw SensorError(ReadingError::Unavailable,
                          QStringLiteral("cannot read %1").arg(m_probe.path));
    switch (m_probe.kind) {
    case SystemProbe::CpuPercent: {
        const auto now = parseProcStat(text);
        if (!now)
            throw SensorError(ReadingError::BadData,
                              QStringLiteral("unexpected format in %1").arg(m_probe.path));
        const auto before = std::exchange(m_lastCpu, now);
        return before ? cpuPercent(*before, *now) : std::nullopt;
    }
    case SystemProbe::NetRxRate:
    case SystemProbe::NetTxRate: {
        for (const auto &c : parseNetDev(text)) {
            if (c.interface != m_probe.interface)
                continue;
            const quint64 bytes = m_probe.kind == SystemProbe::NetRxRate ? c.rxBytes : c.txBytes;
            const auto before = std::exchange(m_lastBytes, bytes);
            const qint64 lastNs = std::exchange(m_lastNs, nowNs);
            if (!before || nowNs <= lastNs || bytes < *before)
                return std::nullopt;
            return double(bytes - *before) / (double(nowNs - lastNs) / 1e9);
        }
        throw SensorError(ReadingError::Unavailable,
                          QStringLiteral("interface %1 is gone").arg(m_probe.interface));
    }
    case SystemProbe::MemoryUsedPercent:
        if (const auto v = parseMemoryUsedPercent(text))
            return v;
        break;
    case SystemProbe::LoadAverage:
        if (const auto v = parseLoadAverage(text))
            return v;
        break;
    case SystemProbe::Thermal:
        if (const auto v = parseMilliCelsius(text))
            return v;
        break;
    case SystemProbe::Battery:
        if (const auto v = parseBatteryCapacity(text))
            return v;
        break;
    }
    throw SensorError(ReadingError::BadData,
                      QStringLiteral("unexpected value in %1").arg(m_probe.path));
}

QCoro::Task<double> SystemSensor::read(std::stop_token token) {
    const auto nowNs = [this] { return m_clock.now().time_since_epoch().count(); };
    if (auto v = sampleOnce(nowNs()))
        co_return *v;
    // A rate needs a second sample.
    co_await async::sleepFor(m_clock, 100ms, token);
    if (auto v = sampleOnce(nowNs()))
        co_return *v;
    throw SensorError(ReadingError::BadData,
                      QStringLiteral("%1 did not advance").arg(m_probe.path));
}

QList<std::shared_ptr<Sensor>> discoverSystemSensors(const QString &root, async::Clock &clock) {
    QList<std::shared_ptr<Sensor>> found;
    const QDir base(root);
    const auto add = [&](const QString &id, const QString &name, const QString &unit,
                         SystemProbe probe) {
        found << std::make_shared<SystemSensor>(QStringLiteral("system:") + id, name, unit,
                                                std::move(probe), clock);
    };
    const QString stat = base.filePath(QStringLiteral("proc/stat"));
    if (parseProcStat(slurp(stat)))
        add(QStringLiteral("cpu"), QStringLiteral("CPU"), QStringLiteral("%"),
            {SystemProbe::CpuPercent, stat, {}});
    const QString meminfo = base.filePath(QStringLiteral("proc/meminfo"));
    if (parseMemoryUsedPercent(slurp(meminfo)))
        add(QStringLiteral("memory"), QStringLiteral("Memory used"), QStringLiteral("%"),
            {SystemProbe::MemoryUsedPercent, meminfo, {}});
    const QString loadavg = base.filePath(QStringLiteral("proc/loadavg"));
    if (parseLoadAverage(slurp(loadavg)))
        add(QStringLiteral("load"), QStringLiteral("Load average"), QString(),
            {SystemProbe::LoadAverage, loadavg, {}});
    const QString netdev = base.filePath(QStringLiteral("proc/net/dev"));
    for (const auto &c : parseNetDev(slurp(netdev))) {
        if (c.interface == QLatin1String("lo"))
            continue;
        add(QStringLiteral("net-rx:") + c.interface, c.interface + QStringLiteral(" rx"),
            QStringLiteral("B/s"), {SystemProbe::NetRxRate, netdev, c.interface});
        add(QStringLiteral("net-tx:") + c.interface, c.interface + QStringLiteral(" tx"),
            QStringLiteral("B/s"), {SystemProbe::NetTxRate, netdev, c.interface});
    }
    const QDir thermal(base.filePath(QStringLiteral("sys/class/thermal")));
    for (const auto &zone : thermal.entryList({QStringLiteral("thermal_zone*")},
                                              QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString temp = thermal.filePath(zone + QStringLiteral("/temp"));
        if (!parseMilliCelsius(slurp(temp)))
            continue;
        const QString type = firstLine(thermal.filePath(zone + QStringLiteral("/type")));
        add(QStringLiteral("thermal:") + zone, type.isEmpty() ? zone : type, QStringLiteral("°C"),
            {SystemProbe::Thermal, temp, {}});
    }
    const QDir power(base.filePath(QStringLiteral("sys/class/power_supply")));
    for (const auto &supply : power.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (firstLine(power.filePath(supply + QStringLiteral("/type"))) != QLatin1String("Battery"))
            continue;
        const QString capacity = power.filePath(supply + QStringLiteral("/capacity"));
        if (parseBatteryCapacity(slurp(capacity)))
            add(QStringLiteral("battery:") + supply, supply + QStringLiteral(" battery"),
                QStringLiteral("%"), {SystemProbe::Battery, capacity, {}});
    }
    return found;
}

} // namespace vigil::sensors
