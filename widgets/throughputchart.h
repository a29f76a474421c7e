// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "twoaxischart.h"

#include "async/clock.h"

#include <QTimer>

#include <deque>
#include <map>
#include <optional>
#include <vector>

namespace vigil::widgets {

/// @brief Live batch health: completions per second, and latency p50/p95 over a sliding second,
/// sampled four times a second. With learned rates (`--rate auto`), also each host's rate: one
/// line per host for the first four, and the median of all when there are more.
class ThroughputChart : public TwoAxisChart {
    Q_OBJECT
public:
    explicit ThroughputChart(QWidget *parent = nullptr)
        : ThroughputChart(async::Clock::system(), parent) {}
    /// With @p clock for the time axis and the window (a VirtualClock in tests).
    explicit ThroughputChart(async::Clock &clock, QWidget *parent = nullptr);

    void start();
    void record(double latencyMs);
    /// The learned rate (requests/s) of the host of @p url as of now; 0 (no learned rate) is
    /// ignored.
    void recordHostRate(const QString &url, double rate);
    void stop();
    /// The last sample: completions/s, latency p50 and p95 (ms).
    [[nodiscard]] const std::vector<double> &lastSample() const { return m_last; }

private:
    void sample();
    /// The host-rate values for this sample, adding their lines as hosts appear.
    [[nodiscard]] std::vector<double> hostRateValues();
    [[nodiscard]] qint64 elapsedMs() const;

    async::Clock &m_clock;
    std::optional<async::Clock::TimePoint> m_started;
    std::deque<std::pair<qint64, double>> m_recent; // (ms since start, latency)
    std::vector<double> m_last;
    std::map<QString, double> m_hostRates;
    std::vector<QString> m_drawnHosts; ///< hosts with a line of their own, in order of appearance
    bool m_medianDrawn = false;
    QTimer m_tick;
};

} // namespace vigil::widgets
