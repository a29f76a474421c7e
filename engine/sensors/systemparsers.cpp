// SPDX-License-Identifier: Apache-2.0
#include "systemparsers.h"

#include <QByteArray>

#include <cmath>

namespace vigil::sensors {

namespace {
QList<QByteArray> fields(QByteArrayView line) {
    QList<QByteArray> out;
    for (const QByteArray &f : line.toByteArray().simplified().split(' ')) {
        if (!f.isEmpty())
            out << f;
    }
    return out;
}

std::optional<quint64> unsignedNumber(const QByteArray &text) {
    bool ok = false;
    const quint64 v = text.toULongLong(&ok);
    return ok ? std::optional(v) : std::nullopt;
}

std::optional<double> finiteNumber(QByteArrayView text) {
    bool ok = false;
    const double v = text.toByteArray().trimmed().toDouble(&ok);
    return ok && std::isfinite(v) ? std::optional(v) : std::nullopt;
}
} // namespace

std::optional<CpuTimes> parseProcStat(QByteArrayView text) {
    for (const QByteArray &line : text.toByteArray().split('\n')) {
        const auto f = fields(line);
        if (f.isEmpty() || f[0] != "cpu")
            continue;
        if (f.size() < 5)
            return std::nullopt;
        // user nice system idle iowait irq softirq steal (guest time is already in user)
        quint64 values[8] = {};
        const qsizetype count = std::min<qsizetype>(8, f.size() - 1);
        for (qsizetype i = 0; i < count; ++i) {
            const auto v = unsignedNumber(f[i + 1]);
            if (!v)
                return std::nullopt;
            values[i] = *v;
        }
        CpuTimes t;
        t.idle = values[3] + values[4];
        t.busy = values[0] + values[1] + values[2] + values[5] + values[6] + values[7];
        return t;
    }
    return std::nullopt;
}

std::optional<double> cpuPercent(const CpuTimes &before, const CpuTimes &after) {
    if (after.total() <= before.total() || after.busy < before.busy)
        return std::nullopt;
    const double total = double(after.total() - before.total());
    return 100.0 * double(after.busy - before.busy) / total;
}

std::optional<double> parseMemoryUsedPercent(QByteArrayView text) {
    std::optional<quint64> total, available;
    for (const QByteArray &line : text.toByteArray().split('\n')) {
        const auto f = fields(line);
        if (f.size() < 2)
            continue;
        if (f[0] == "MemTotal:")
            total = unsignedNumber(f[1]);
        else if (f[0] == "MemAvailable:")
            available = unsignedNumber(f[1]);
    }
    if (!total || !available || *total == 0 || *available > *total)
        return std::nullopt;
    return 100.0 * double(*total - *available) / double(*total);
}

std::optional<double> parseLoadAverage(QByteArrayView text) {
    const auto f = fields(text);
    if (f.isEmpty())
        return std::nullopt;
    const auto v = finiteNumber(f[0]);
    return v && *v >= 0 ? v : std::nullopt;
}

QList<NetCounters> parseNetDev(QByteArrayView text) {
    QList<NetCounters> out;
    for (const QByteArray &line : text.toByteArray().split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed();
        const auto f = fields(QByteArrayView(line).sliced(colon + 1));
        // rx: bytes packets errs drop fifo frame compressed multicast; tx: bytes …
        if (name.isEmpty() || f.size() < 16)
            continue;
        const auto rx = unsignedNumber(f[0]);
        const auto tx = unsignedNumber(f[8]);
        if (rx && tx)
            out.append({QString::fromLatin1(name), *rx, *tx});
    }
    return out;
}

std::optional<double> parseMilliCelsius(QByteArrayView text) {
    const auto v = finiteNumber(text);
    if (!v || *v < -273150 || *v > 500000)
        return std::nullopt;
    return *v / 1000.0;
}

std::optional<double> parseBatteryCapacity(QByteArrayView text) {
    const auto v = finiteNumber(text);
    if (!v || *v < 0 || *v > 100)
        return std::nullopt;
    return v;
}

} // namespace vigil::sensors
