// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace vigil::dashboard {

/// @brief What values an axis may show: any, percentages (kept within 0–100), or whole numbers
/// (seconds, counts).
enum class AxisScale { Linear, Percent, WholeNumbers };

/// @brief A value axis laid out for reading: a range that starts and ends on a tick, ticks a
/// 1-2-5 step apart, and labels with just enough decimals to tell them apart.
struct AxisTicks {
    double min = 0;
    double max = 1;
    double step = 0.2;
    int decimals = 1;
    QList<double> values;
    QStringList labels;

    friend bool operator==(const AxisTicks &, const AxisTicks &) = default;
};

/// The smallest 1, 2 or 5 × 10ⁿ at least @p rawStep (at least 1 for whole numbers).
[[nodiscard]] double niceStep(double rawStep, AxisScale scale = AxisScale::Linear);

/// Ticks for data spanning [@p lo, @p hi], at most @p maxTicks (3 or more) of them. Data that is
/// flat gets a range around its value; no data at all (NaN or lo > hi) gets a default range;
/// percentages never leave 0–100.
[[nodiscard]] AxisTicks niceTicks(double lo, double hi, int maxTicks,
                                  AxisScale scale = AxisScale::Linear);

/// The scale a sensor's unit implies ("%" is a percentage).
[[nodiscard]] AxisScale scaleForUnit(const QString &unit);

/// How many time labels @p plotWidth pixels hold when each label is @p labelWidth wide: as many
/// as fit with room to spare between them, from 2 to 6.
[[nodiscard]] int timeTickCount(double plotWidth, double labelWidth);

/// @brief Time labels at round moments, a 1-2-5 (or 15, 30; 3, 6, 12 h) step of seconds, minutes
/// or hours apart: a label keeps its moment and scrolls with the data instead of being relabelled
/// in place every frame.
struct TimeTicks {
    qint64 stepMs = 0;
    QList<qint64> times; ///< ms since the epoch, ascending, within the range
};

/// Ticks for the range [@p fromMs, @p toMs], at most @p maxLabels of them, on moments that are
/// round in a time zone @p utcOffsetMs ahead of UTC. An empty range has none.
[[nodiscard]] TimeTicks timeTicks(qint64 fromMs, qint64 toMs, int maxLabels,
                                  qint64 utcOffsetMs = 0);

/// A reading as the status table and the cursor print it: two decimals, none from 100 000 up
/// (never "2.35547e+06"), and three significant digits below 0.01 (never "0.00" for 0.004).
[[nodiscard]] QString formatReading(double value);

} // namespace vigil::dashboard
