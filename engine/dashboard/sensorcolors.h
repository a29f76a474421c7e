// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>

namespace vigil::dashboard {

/// The colours new sensors get, in order: distinct on white, and not the alarm amber or red.
[[nodiscard]] const QStringList &sensorPalette();

/// Whether @p color is written as a dashboard file stores it, "#rrggbb".
[[nodiscard]] bool isSensorColor(const QString &color);

/// A colour for a new sensor @p id: the first palette colour that no sensor in @p taken has;
/// when all are taken, one picked by @p id, so that it does not depend on the sensors' order.
[[nodiscard]] QString pickSensorColor(const QStringList &taken, const QString &id);

} // namespace vigil::dashboard
