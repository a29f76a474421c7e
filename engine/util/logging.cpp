// SPDX-License-Identifier: Apache-2.0
#include "logging.h"

#include <QStringList>

// QtWarningMsg: warnings always show; debug and info only when switched on.
Q_LOGGING_CATEGORY(lcAsync, "vigil.async", QtWarningMsg)
Q_LOGGING_CATEGORY(lcNet, "vigil.net", QtWarningMsg)
Q_LOGGING_CATEGORY(lcFetch, "vigil.fetch", QtWarningMsg)
Q_LOGGING_CATEGORY(lcDownload, "vigil.download", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSensors, "vigil.sensors", QtWarningMsg)
Q_LOGGING_CATEGORY(lcDashboard, "vigil.dashboard", QtWarningMsg)
Q_LOGGING_CATEGORY(lcDemo, "vigil.demo", QtWarningMsg)
Q_LOGGING_CATEGORY(lcMqtt, "vigil.mqtt", QtWarningMsg)
Q_LOGGING_CATEGORY(lcModbus, "vigil.modbus", QtWarningMsg)
Q_LOGGING_CATEGORY(lcLines, "vigil.lines", QtWarningMsg)
Q_LOGGING_CATEGORY(lcMetrics, "vigil.metrics", QtWarningMsg)

namespace vigil::util {

void enableVerboseLogging() {
    QLoggingCategory::setFilterRules(QStringLiteral("vigil.*.debug=true\nvigil.*.info=true"));
    qSetMessagePattern(QStringLiteral("%{time hh:mm:ss.zzz} %{category}: %{message}"));
}

bool takeVerboseFlag(QStringList &args) {
    const qsizetype before = args.size();
    args.removeIf([](const QString &a) {
        return a == QLatin1String("--verbose") || a == QLatin1String("-v");
    });
    return args.size() != before;
}

} // namespace vigil::util
