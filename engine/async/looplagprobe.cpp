// SPDX-License-Identifier: Apache-2.0
#include "looplagprobe.h"

namespace vigil::async {

LoopLagProbe::LoopLagProbe(std::chrono::milliseconds interval, std::size_t window, QObject *parent)
    : QObject(parent)
    , m_interval(interval)
    , m_stats(window) {
    // Single-shot and re-armed on each wake, so one long stall counts once as one large sample
    // instead of being smeared over catch-up ticks.
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &LoopLagProbe::onWake);
}

void LoopLagProbe::start() {
    m_sinceArm.start();
    m_timer.start(m_interval);
}

void LoopLagProbe::stop() {
    m_timer.stop();
}

void LoopLagProbe::onWake() {
    const double elapsedMs = double(m_sinceArm.nsecsElapsed()) / 1e6;
    const double lagMs = std::max(0.0, elapsedMs - double(m_interval.count()));
    m_stats.add(lagMs);
    m_sinceArm.start();
    m_timer.start(m_interval);
    Q_EMIT sampled(lagMs);
    Q_EMIT updated();
}

} // namespace vigil::async
