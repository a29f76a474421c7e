// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

#include <chrono>

namespace vigil::async {
class LoopLagProbe;
}

namespace vigil::compute {

/// @brief What `vigil bench offload` measures: loop lag while a CPU job blocks the loop, then
/// while the same job runs on the compute pool.
struct OffloadBenchResult {
    double jobMs = 0;
    double blockedLagMaxMs = 0;
    double offloadedLagP99Ms = 0;
    double offloadedLagMaxMs = 0;
    double offloadedWallMs = 0;
    /// When each half ran, in ms since the epoch (the clock's wall time), so that a dashboard
    /// can mark them on its time axis.
    qint64 blockedFromMs = 0;
    qint64 blockedToMs = 0;
    qint64 offloadedFromMs = 0;
    qint64 offloadedToMs = 0;

    /// The one-line summary, `bench-offload key=value …`.
    [[nodiscard]] QString summaryLine() const;
};

/// Runs the job blocking, then offloaded, measuring with @p probe (a fresh one when null; the
/// GUI passes its status-bar probe so the meter shows the spike).
[[nodiscard]] QCoro::Task<OffloadBenchResult> runOffloadBench(std::chrono::milliseconds job,
                                                              async::LoopLagProbe *probe = nullptr);

} // namespace vigil::compute
