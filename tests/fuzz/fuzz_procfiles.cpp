// SPDX-License-Identifier: Apache-2.0
// /proc and /sys files: kernels differ, and a bad read must never crash the dashboard.
#include "fuzzinput.h"

#include "sensors/systemparsers.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    using namespace vigil::sensors;
    const auto text = vigil::fuzz::bytes(data, size);
    if (const auto t = parseProcStat(text)) {
        const CpuTimes later{t->busy + 10, t->idle + 30};
        if (const auto p = cpuPercent(*t, later); p && (*p < 0 || *p > 100))
            __builtin_trap();
    }
    if (const auto m = parseMemoryUsedPercent(text); m && (*m < 0 || *m > 100))
        __builtin_trap();
    if (const auto l = parseLoadAverage(text); l && (!std::isfinite(*l) || *l < 0))
        __builtin_trap();
    (void)parseNetDev(text);
    (void)parseMilliCelsius(text);
    if (const auto b = parseBatteryCapacity(text); b && (*b < 0 || *b > 100))
        __builtin_trap();
    return 0;
}
