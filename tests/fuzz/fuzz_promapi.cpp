// SPDX-License-Identifier: Apache-2.0
// Prometheus API answers: the fast matrix path and the full JSON parser must agree whenever both
// read an input, and neither may crash on any.
#include "prometheus/promapi.h"

#include <QByteArray>

#include <cmath>

namespace {
bool same(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const vigil::prometheus::PromResult full = vigil::prometheus::detail::parseApiJson(body, 200);
    vigil::prometheus::PromResult fast;
    if (!vigil::prometheus::detail::parseMatrixFast(body, fast) || !full.ok())
        return 0;
    if (fast.series.size() != full.series.size())
        __builtin_trap();
    for (qsizetype i = 0; i < fast.series.size(); ++i) {
        const auto &a = fast.series[i];
        const auto &b = full.series[i];
        if (a.labels != b.labels || a.samples.size() != b.samples.size())
            __builtin_trap();
        for (qsizetype j = 0; j < a.samples.size(); ++j) {
            if (a.samples[j].timeMs != b.samples[j].timeMs ||
                !same(a.samples[j].value, b.samples[j].value))
                __builtin_trap();
        }
    }
    return 0;
}
