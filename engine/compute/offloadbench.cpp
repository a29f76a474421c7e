// SPDX-License-Identifier: Apache-2.0
#include "offloadbench.h"

#include "async/clock.h"
#include "async/looplagprobe.h"
#include "async/sleep.h"
#include "compute/computepool.h"
#include "compute/cpuburn.h"

#include <QElapsedTimer>

namespace vigil::compute {

QString OffloadBenchResult::summaryLine() const {
    return QStringLiteral("bench-offload job_ms=%1 blocked_lag_max_ms=%2 offloaded_lag_p99_ms=%3 "
                          "offloaded_lag_max_ms=%4 offloaded_wall_ms=%5")
        .arg(jobMs, 0, 'f', 0)
        .arg(blockedLagMaxMs, 0, 'f', 1)
        .arg(offloadedLagP99Ms, 0, 'f', 2)
        .arg(offloadedLagMaxMs, 0, 'f', 2)
        .arg(offloadedWallMs, 0, 'f', 1);
}

QCoro::Task<OffloadBenchResult> runOffloadBench(std::chrono::milliseconds job,
                                                async::LoopLagProbe *sharedProbe) {
    using namespace std::chrono_literals;
    auto &clock = async::Clock::system();
    std::optional<async::LoopLagProbe> ownProbe;
    if (!sharedProbe) {
        ownProbe.emplace(5ms, 1000);
        ownProbe->start();
        co_await async::sleepFor(clock, 200ms);
    }
    async::LoopLagProbe &probe = sharedProbe ? *sharedProbe : *ownProbe;

    OffloadBenchResult result;
    result.jobMs = double(job.count());

    probe.reset();
    result.blockedFromMs = clock.wallNow().toMSecsSinceEpoch();
    compute::burnCpu(job); // deliberately on the GUI thread: this is the "before"
    result.blockedToMs = clock.wallNow().toMSecsSinceEpoch();
    co_await async::sleepFor(clock, 50ms);
    result.blockedLagMaxMs = probe.maxMs();

    probe.reset();
    QElapsedTimer wall;
    wall.start();
    auto work = [job] { return compute::burnCpu(job); };
    result.offloadedFromMs = clock.wallNow().toMSecsSinceEpoch();
    co_await compute::offload(work);
    result.offloadedToMs = clock.wallNow().toMSecsSinceEpoch();
    result.offloadedWallMs = double(wall.nsecsElapsed()) / 1e6;
    co_await async::sleepFor(clock, 50ms);
    result.offloadedLagP99Ms = probe.p99Ms();
    result.offloadedLagMaxMs = probe.maxMs();
    co_return result;
}

} // namespace vigil::compute
