// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <optional>

namespace vigil::sensors {

enum class AlarmLevel { Normal, Warning, Alarm };

[[nodiscard]] QString alarmLevelName(AlarmLevel level);

/// The longest "for N s" delay an alarm may have: one day.
inline constexpr int kMaxAlarmDelayS = 86400;

/// @brief A sensor's bands: outside warn is amber, outside alarm is red. Any bound may be absent.
///
/// A level is raised when a value crosses its bound (after delayS seconds beyond it, when set),
/// and dropped only once the value is back inside the bound by deadband, so a value sitting on a
/// bound does not flip the level on every reading.
struct Thresholds {
    std::optional<double> lowAlarm;
    std::optional<double> lowWarn;
    std::optional<double> highWarn;
    std::optional<double> highAlarm;
    double deadband = 0; ///< in the sensor's unit; 0 drops a level as soon as the value is inside
    int delayS = 0;      ///< how long a worse level must hold before it is raised; 0 at once

    /// The level of @p value on its own: no deadband, no delay.
    [[nodiscard]] AlarmLevel classify(double value) const;
    /// The level @p value keeps when the sensor is at @p current: bounds at or below @p current
    /// hold until the value is back inside them by the deadband.
    [[nodiscard]] AlarmLevel classifyFrom(AlarmLevel current, double value) const;
    [[nodiscard]] bool isEmpty() const { return !lowAlarm && !lowWarn && !highWarn && !highAlarm; }
    /// Empty when the bounds are ordered lowAlarm ≤ lowWarn ≤ highWarn ≤ highAlarm, the deadband
    /// is not negative and the delay is 0 to kMaxAlarmDelayS.
    [[nodiscard]] QString problem() const;
    bool operator==(const Thresholds &) const = default;
};

/// @brief One sensor's alarm level as readings arrive: Thresholds with their deadband and delay
/// applied over time. Pure logic on the readings' own timestamps.
class AlarmState {
public:
    /// Takes a good reading at @p timeMs and returns the level now in force.
    AlarmLevel update(const Thresholds &thresholds, double value, qint64 timeMs);
    [[nodiscard]] AlarmLevel level() const { return m_level; }

private:
    AlarmLevel m_level = AlarmLevel::Normal;
    std::optional<qint64> m_worseSinceMs; // when readings began to call for a worse level
};

} // namespace vigil::sensors
