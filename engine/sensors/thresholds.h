#pragma once

#include <QString>

#include <optional>

namespace vigil::sensors {

enum class AlarmLevel { Normal, Warning, Alarm };

[[nodiscard]] QString alarmLevelName(AlarmLevel level);

/// @brief A sensor's bands: outside warn is amber, outside alarm is red. Any bound may be absent.
struct Thresholds {
    std::optional<double> lowAlarm;
    std::optional<double> lowWarn;
    std::optional<double> highWarn;
    std::optional<double> highAlarm;

    [[nodiscard]] AlarmLevel classify(double value) const;
    [[nodiscard]] bool isEmpty() const { return !lowAlarm && !lowWarn && !highWarn && !highAlarm; }
    /// Empty when the bounds are ordered lowAlarm ≤ lowWarn ≤ highWarn ≤ highAlarm.
    [[nodiscard]] QString problem() const;
    bool operator==(const Thresholds &) const = default;
};

} // namespace vigil::sensors
