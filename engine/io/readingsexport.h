// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace vigil::sensors {
class SensorHub;
}

namespace vigil::io {

/// The readings of @p sensorIds in [fromMs, toMs] as CSV: one row per timestamp (ISO-8601, UTC),
/// one column per sensor headed "name [unit]", empty cells where a sensor has no reading or a
/// failed one. Sensors polled in the same cycle share a row.
[[nodiscard]] QByteArray readingsToCsv(const sensors::SensorHub &hub, const QStringList &sensorIds,
                                       qint64 fromMs, qint64 toMs);

} // namespace vigil::io
