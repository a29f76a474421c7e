// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lagstats.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>

namespace vigil::async {

/// @brief Measures event-loop lag: how late a periodic timer wakes compared with when it was due.
///
/// A blocked GUI thread shows up at once as lag; the status bar and the benchmarks read it.
class LoopLagProbe : public QObject {
    Q_OBJECT
    Q_PROPERTY(double p50Ms READ p50Ms NOTIFY updated)
    Q_PROPERTY(double p99Ms READ p99Ms NOTIFY updated)
    Q_PROPERTY(double maxMs READ maxMs NOTIFY updated)
public:
    explicit LoopLagProbe(std::chrono::milliseconds interval = std::chrono::milliseconds(20),
                          std::size_t window = 250, QObject *parent = nullptr);

    void start();
    void stop();
    void reset() { m_stats.clear(); }
    /// Keeps the last @p window samples from now on (and forgets the ones so far): a benchmark
    /// widens the status bar's probe to its whole run instead of waking the loop with a second one.
    void keepSamples(std::size_t window) { m_stats = LagStats(window); }
    [[nodiscard]] bool isRunning() const { return m_timer.isActive(); }

    [[nodiscard]] double p50Ms() const { return m_stats.percentile(50); }
    [[nodiscard]] double p99Ms() const { return m_stats.percentile(99); }
    [[nodiscard]] double maxMs() const { return m_stats.max(); }
    [[nodiscard]] const LagStats &stats() const { return m_stats; }
    [[nodiscard]] std::chrono::milliseconds interval() const { return m_interval; }

Q_SIGNALS:
    void updated();
    /// Each wake's lag, for a histogram that keeps every sample (the stats keep a window).
    void sampled(double lagMs);

private:
    void onWake();

    std::chrono::milliseconds m_interval;
    LagStats m_stats;
    QTimer m_timer;
    QElapsedTimer m_sinceArm;
};

} // namespace vigil::async
