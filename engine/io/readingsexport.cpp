// SPDX-License-Identifier: Apache-2.0
#include "readingsexport.h"

#include "sensors/sensorhub.h"

#include <QDateTime>

#include <cmath>
#include <map>

namespace vigil::io {

QByteArray readingsToCsv(const sensors::SensorHub &hub, const QStringList &sensorIds, qint64 fromMs,
                         qint64 toMs) {
    QByteArray out = "time";
    std::map<qint64, std::vector<double>> rows;
    const std::size_t n = std::size_t(sensorIds.size());
    for (std::size_t column = 0; column < n; ++column) {
        const QString &id = sensorIds[qsizetype(column)];
        const auto sensor = hub.sensor(id);
        QString header = sensor->name();
        if (!sensor->unit().isEmpty())
            header += QStringLiteral(" [") + sensor->unit() + u']';
        header.replace(u'"', QStringLiteral("\"\""));
        out += ",\"" + header.toUtf8() + '"';
        for (const auto &s : hub.history(id).samples(fromMs, toMs)) {
            auto &row = rows[s.t];
            if (row.empty())
                row.assign(n, std::nan(""));
            row[column] = s.v;
        }
    }
    out += '\n';
    for (const auto &[t, values] : rows) {
        out += QDateTime::fromMSecsSinceEpoch(t, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8();
        for (double v : values) {
            out += ',';
            if (!std::isnan(v))
                out += QByteArray::number(v, 'g', 12);
        }
        out += '\n';
    }
    return out;
}

} // namespace vigil::io
