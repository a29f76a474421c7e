// SPDX-License-Identifier: Apache-2.0
#include "axisticks.h"

#include <algorithm>
#include <cmath>

namespace vigil::dashboard {

namespace {
// A flat series is shown this far either side of its value (relative), or ±1 around zero.
constexpr double kFlatHalfSpan = 0.1;

double nextNiceStep(double step) {
    const double magnitude = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    const double f = step / magnitude;
    return (f < 1.5 ? 2 : f < 3.5 ? 5 : 10) * magnitude;
}

void widenFlat(double &lo, double &hi, AxisScale scale) {
    const double v = (lo + hi) / 2;
    double half = v == 0 ? 1 : std::abs(v) * kFlatHalfSpan;
    if (scale == AxisScale::WholeNumbers)
        half = std::max(half, 1.0);
    lo = v - half;
    hi = v + half;
}
} // namespace

double niceStep(double rawStep, AxisScale scale) {
    if (!(rawStep > 0) || !std::isfinite(rawStep))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(rawStep)));
    const double f = rawStep / magnitude;
    // A little tolerance, so that 0.2000000001 stays 0.2 instead of becoming 0.5.
    const double nice = f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10;
    const double step = nice * magnitude;
    return scale == AxisScale::WholeNumbers ? std::max(1.0, std::round(step)) : step;
}

AxisTicks niceTicks(double lo, double hi, int maxTicks, AxisScale scale) {
    // Three: a range across zero needs a tick either side of it and one on it.
    maxTicks = std::max(3, maxTicks);
    if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) {
        lo = 0;
        hi = scale == AxisScale::Percent ? 100 : scale == AxisScale::WholeNumbers ? 5 : 1;
    }
    if (scale == AxisScale::Percent) {
        lo = std::clamp(lo, 0.0, 100.0);
        hi = std::clamp(hi, 0.0, 100.0);
    }
    if (hi - lo <= 1e-9 * std::max(1.0, std::abs(hi)))
        widenFlat(lo, hi, scale);
    if (scale == AxisScale::Percent) {
        lo = std::max(lo, 0.0);
        hi = std::min(hi, 100.0);
    }
    AxisTicks t;
    t.step = niceStep((hi - lo) / (maxTicks - 1), scale);
    for (int widen = 0; widen < 64; ++widen) {
        t.min = std::floor(lo / t.step + 1e-9) * t.step;
        t.max = std::ceil(hi / t.step - 1e-9) * t.step;
        if (std::lround((t.max - t.min) / t.step) + 1 <= maxTicks)
            break;
        t.step = nextNiceStep(t.step);
    }
    if (scale == AxisScale::Percent) {
        t.min = std::max(t.min, 0.0);
        t.max = std::min(t.max, 100.0);
    }
    t.decimals = std::max(0, int(-std::floor(std::log10(t.step) + 1e-9)));
    const long count = std::lround((t.max - t.min) / t.step) + 1;
    for (long i = 0; i < count; ++i) {
        // Computed from the tick index, so that rounding never prints "-0.0" or 0.30000000004.
        double v = std::round((t.min + double(i) * t.step) / t.step) * t.step;
        if (std::abs(v) < t.step * 1e-6)
            v = 0;
        t.values << v;
        t.labels << QString::number(v, 'f', t.decimals);
    }
    return t;
}

AxisScale scaleForUnit(const QString &unit) {
    return unit.trimmed() == QLatin1String("%") ? AxisScale::Percent : AxisScale::Linear;
}

int timeTickCount(double plotWidth, double labelWidth) {
    if (!(labelWidth > 0))
        return 2;
    // Qt truncates a label wider than its share of the axis (width / ticks): keep a 10 % margin.
    const int fit = int(plotWidth / (labelWidth * 1.1));
    return std::clamp(fit, 2, 6);
}

TimeTicks timeTicks(qint64 fromMs, qint64 toMs, int maxLabels, qint64 utcOffsetMs) {
    static constexpr qint64 kSteps[] = {1,   2,   5,    10,   15,   30,    60,    120,   300,
                                        600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
    TimeTicks out;
    if (toMs <= fromMs || maxLabels < 1)
        return out;
    out.stepMs = kSteps[std::size(kSteps) - 1] * 1000;
    for (const qint64 s : kSteps) {
        // A range holds at most span / step + 1 round moments.
        if ((toMs - fromMs) / (s * 1000) + 1 <= maxLabels) {
            out.stepMs = s * 1000;
            break;
        }
    }
    const qint64 local = fromMs + utcOffsetMs;
    // The first multiple of the step at or after fromMs, in local time (floor for negatives too).
    qint64 first = (local / out.stepMs) * out.stepMs;
    if (first < local)
        first += out.stepMs;
    for (qint64 t = first - utcOffsetMs; t <= toMs && out.times.size() < maxLabels; t += out.stepMs)
        out.times << t;
    return out;
}

QString formatReading(double value) {
    const double magnitude = std::abs(value);
    if (magnitude >= 1e5)
        return QString::number(value, 'f', 0);
    if (magnitude > 0 && magnitude < 0.01)
        return QString::number(value, 'g', 3);
    return QString::number(value, 'f', 2);
}

} // namespace vigil::dashboard
