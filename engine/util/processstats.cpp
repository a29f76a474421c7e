// SPDX-License-Identifier: Apache-2.0
#include "processstats.h"

#include <sys/resource.h>

namespace vigil::util {

double processCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) {
        return double(t.tv_sec) + double(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double peakRssMB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) * 1024.0 / 1e6; // Linux reports KiB; MB is 10^6 in Vigil
}

} // namespace vigil::util
