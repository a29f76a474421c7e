#include "thresholds.h"

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

AlarmLevel Thresholds::classify(double value) const {
    if ((lowAlarm && value < *lowAlarm) || (highAlarm && value > *highAlarm))
        return AlarmLevel::Alarm;
    if ((lowWarn && value < *lowWarn) || (highWarn && value > *highWarn))
        return AlarmLevel::Warning;
    return AlarmLevel::Normal;
}

QString Thresholds::problem() const {
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

} // namespace vigil::sensors
