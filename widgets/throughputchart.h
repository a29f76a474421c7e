#pragma once

#include <QChartView>
#include <QElapsedTimer>
#include <QTimer>

#include <deque>

class QLineSeries;
class QValueAxis;

namespace vigil::widgets {

/// @brief Live batch health: completions per second, and latency p50/p95 over a sliding second,
/// redrawn with one replace() per series four times a second.
class ThroughputChart : public QChartView {
    Q_OBJECT
public:
    explicit ThroughputChart(QWidget *parent = nullptr);

    void start();
    void record(double latencyMs);
    void stop();
    [[nodiscard]] qsizetype pointCount() const;

private:
    void sample();

    QLineSeries *m_rate;
    QLineSeries *m_p50;
    QLineSeries *m_p95;
    QValueAxis *m_axisX;
    QValueAxis *m_axisRate;
    QValueAxis *m_axisLatency;
    QList<QPointF> m_ratePoints, m_p50Points, m_p95Points;
    std::deque<std::pair<qint64, double>> m_recent; // (ms since start, latency)
    QElapsedTimer m_clock;
    QTimer m_tick;
};

} // namespace vigil::widgets
