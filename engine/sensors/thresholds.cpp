// SPDX-License-Identifier: Apache-2.0
#include "thresholds.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace vigil::sensors {

QString alarmLevelName(AlarmLevel level) {
    switch (level) {
    case AlarmLevel::Normal:
        return QStringLiteral("normal");
    case AlarmLevel::Warning:
        return QStringLiteral("warning");
    case AlarmLevel::Alarm:
        return QStringLiteral("alarm");
    }
    return {};
}

namespace {
bool below(const std::optional<double> &bound, double value, double margin) {
    return bound && value < *bound + margin;
}
bool above(const std::optional<double> &bound, double value, double margin) {
    return bound && value > *bound - margin;
}
} // namespace

AlarmLevel Thresholds::classify(double value) const {
    if (below(lowAlarm, value, 0) || above(highAlarm, value, 0))
        return AlarmLevel::Alarm;
    if (below(lowWarn, value, 0) || above(highWarn, value, 0))
        return AlarmLevel::Warning;
    return AlarmLevel::Normal;
}

AlarmLevel Thresholds::classifyFrom(AlarmLevel current, double value) const {
    const AlarmLevel plain = classify(value);
    if (plain >= current || deadband <= 0)
        return plain;
    // Only the bands the sensor is already in get the deadband: a worse level still needs its
    // bound crossed.
    if (current == AlarmLevel::Alarm &&
        (below(lowAlarm, value, deadband) || above(highAlarm, value, deadband)))
        return AlarmLevel::Alarm;
    if (below(lowWarn, value, deadband) || above(highWarn, value, deadband))
        return AlarmLevel::Warning;
    return plain;
}

QString Thresholds::problem() const {
    if (!std::isfinite(deadband) || deadband < 0)
        return QStringLiteral("deadband (%1) must be a number ≥ 0").arg(deadband);
    if (delayS < 0 || delayS > kMaxAlarmDelayS)
        return QStringLiteral("delay_s (%1) must be 0 to %2 seconds")
            .arg(delayS)
            .arg(kMaxAlarmDelayS);
    std::vector<std::pair<const char *, double>> set;
    for (const auto &[name, bound] : {std::pair{"lowAlarm", lowAlarm},
                                      {"lowWarn", lowWarn},
                                      {"highWarn", highWarn},
                                      {"highAlarm", highAlarm}}) {
        if (bound)
            set.emplace_back(name, *bound);
    }
    for (std::size_t i = 1; i < set.size(); ++i) {
        if (set[i].second < set[i - 1].second)
            return QStringLiteral("%1 (%2) must not be below %3 (%4)")
                .arg(QLatin1String(set[i].first))
                .arg(set[i].second)
                .arg(QLatin1String(set[i - 1].first))
                .arg(set[i - 1].second);
    }
    return {};
}

AlarmLevel AlarmState::update(const Thresholds &thresholds, double value, qint64 timeMs) {
    const AlarmLevel wanted = thresholds.classifyFrom(m_level, value);
    if (wanted <= m_level) {
        m_level = wanted; // better (past the deadband) or the same: at once
        m_worseSinceMs.reset();
        return m_level;
    }
    if (!m_worseSinceMs)
        m_worseSinceMs = timeMs;
    if (timeMs - *m_worseSinceMs >= qint64(thresholds.delayS) * 1000) {
        m_level = wanted;
        m_worseSinceMs.reset();
    }
    return m_level;
}

} // namespace vigil::sensors
