#include "throughputchart.h"

#include "util/percentile.h"

namespace vigil::widgets {

namespace {
constexpr qint64 kWindowMs = 1000;
}

ThroughputChart::ThroughputChart(QWidget *parent)
    : TwoAxisChart(tr("Completions/s and latency"), tr("per second"), tr("ms"), parent) {
    addSeries(tr("completions/s"), Qt::AlignLeft);
    addSeries(tr("latency p50 (ms)"), Qt::AlignRight);
    addSeries(tr("latency p95 (ms)"), Qt::AlignRight);
    setMinimumHeight(280);
    m_tick.setInterval(250);
    connect(&m_tick, &QTimer::timeout, this, &ThroughputChart::sample);
}

void ThroughputChart::start() {
    clearPoints();
    m_recent.clear();
    m_clock.start();
    m_tick.start();
    sample();
}

void ThroughputChart::record(double latencyMs) {
    if (m_clock.isValid())
        m_recent.emplace_back(m_clock.elapsed(), latencyMs);
}

void ThroughputChart::stop() {
    sample();
    m_tick.stop();
}

void ThroughputChart::sample() {
    const qint64 now = m_clock.elapsed();
    while (!m_recent.empty() && now - m_recent.front().first > kWindowMs)
        m_recent.pop_front();
    std::vector<double> latencies;
    latencies.reserve(m_recent.size());
    for (const auto &[at, ms] : m_recent)
        latencies.push_back(ms);
    append(double(now) / 1000.0, {double(m_recent.size()) * 1000.0 / kWindowMs,
                                  util::nearestRankPercentile(latencies, 50),
                                  util::nearestRankPercentile(latencies, 95)});
}

} // namespace vigil::widgets
