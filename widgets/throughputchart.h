#pragma once

#include "twoaxischart.h"

#include <QElapsedTimer>
#include <QTimer>

#include <deque>

namespace vigil::widgets {

/// @brief Live batch health: completions per second, and latency p50/p95 over a sliding second,
/// sampled four times a second.
class ThroughputChart : public TwoAxisChart {
    Q_OBJECT
public:
    explicit ThroughputChart(QWidget *parent = nullptr);

    void start();
    void record(double latencyMs);
    void stop();

private:
    void sample();

    std::deque<std::pair<qint64, double>> m_recent; // (ms since start, latency)
    QElapsedTimer m_clock;
    QTimer m_tick;
};

} // namespace vigil::widgets
