// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sensors/thresholds.h"

#include <QColor>

/// @brief The colours alarm levels take on screen, in one place: a darker set for text (the
/// status table, the event log) that stays readable on white, a brighter set for chart bands,
/// borders and gap markers, and a pale tint for a chart's background.
namespace vigil::widgets::alarmcolors {

[[nodiscard]] inline QColor text(sensors::AlarmLevel level) {
    switch (level) {
    case sensors::AlarmLevel::Alarm:
        return {0xc6, 0x28, 0x28};
    case sensors::AlarmLevel::Warning:
        return {0xef, 0x6c, 0x00};
    case sensors::AlarmLevel::Normal:
        break;
    }
    return {0x2e, 0x7d, 0x32};
}

/// The chart colour of a level; Normal is the neutral border grey.
[[nodiscard]] inline QColor line(sensors::AlarmLevel level) {
    switch (level) {
    case sensors::AlarmLevel::Alarm:
        return {0xd3, 0x2f, 0x2f};
    case sensors::AlarmLevel::Warning:
        return {0xff, 0xa0, 0x00};
    case sensors::AlarmLevel::Normal:
        break;
    }
    return {0xdd, 0xdd, 0xdd};
}

[[nodiscard]] inline QColor background(sensors::AlarmLevel level) {
    switch (level) {
    case sensors::AlarmLevel::Alarm:
        return {0xff, 0xeb, 0xee};
    case sensors::AlarmLevel::Warning:
        return {0xff, 0xf3, 0xe0};
    case sensors::AlarmLevel::Normal:
        break;
    }
    return Qt::white;
}

} // namespace vigil::widgets::alarmcolors
