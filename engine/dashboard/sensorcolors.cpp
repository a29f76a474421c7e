// SPDX-License-Identifier: Apache-2.0
#include "sensorcolors.h"

#include <QHash>
#include <QRegularExpression>

namespace vigil::dashboard {

const QStringList &sensorPalette() {
    static const QStringList palette = {
        QStringLiteral("#1e88e5"), QStringLiteral("#43a047"), QStringLiteral("#8e24aa"),
        QStringLiteral("#f4511e"), QStringLiteral("#00897b"), QStringLiteral("#6d4c41"),
        QStringLiteral("#3949ab"), QStringLiteral("#c0ca33"), QStringLiteral("#d81b60"),
        QStringLiteral("#00acc1"), QStringLiteral("#546e7a"), QStringLiteral("#7cb342")};
    return palette;
}

bool isSensorColor(const QString &color) {
    static const QRegularExpression pattern(QStringLiteral("^#[0-9a-fA-F]{6}$"));
    return pattern.match(color).hasMatch();
}

QString pickSensorColor(const QStringList &taken, const QString &id) {
    for (const auto &color : sensorPalette()) {
        if (!taken.contains(color, Qt::CaseInsensitive))
            return color;
    }
    return sensorPalette()[qsizetype(qHash(id, 0) % quint64(sensorPalette().size()))];
}

} // namespace vigil::dashboard
