// SPDX-License-Identifier: Apache-2.0
#include "throughputchart.h"

#include "net/httptypes.h"
#include "util/percentile.h"

#include <QUrl>

#include <algorithm>

namespace vigil::widgets {

namespace {
constexpr qint64 kWindowMs = 1000;
constexpr std::size_t kHostLines = 4; // more lines than this is a tangle, not a chart
constexpr int kFixedSeries = 3;
// A shorter span than this gives a rate from too few completions to mean anything.
constexpr qint64 kShortestSpanMs = 50;
} // namespace

ThroughputChart::ThroughputChart(async::Clock &clock, QWidget *parent)
    : TwoAxisChart(tr("Completions/s and latency"), tr("per second"), tr("ms"), parent)
    , m_clock(clock) {
    addSeries(tr("completions/s"), Qt::AlignLeft);
    addSeries(tr("latency p50 (ms)"), Qt::AlignRight);
    addSeries(tr("latency p95 (ms)"), Qt::AlignRight);
    setMinimumHeight(280);
    m_tick.setInterval(250);
    connect(&m_tick, &QTimer::timeout, this, &ThroughputChart::sample);
}

qint64 ThroughputChart::elapsedMs() const {
    return m_started ? qint64(async::toMs(m_clock.now() - *m_started)) : 0;
}

void ThroughputChart::start() {
    keepSeries(kFixedSeries);
    clearPoints();
    m_recent.clear();
    m_hostRates.clear();
    m_drawnHosts.clear();
    m_medianDrawn = false;
    m_started = m_clock.now();
    m_tick.start();
    sample();
}

void ThroughputChart::record(double latencyMs) {
    if (m_started)
        m_recent.emplace_back(elapsedMs(), latencyMs);
}

void ThroughputChart::recordHostRate(const QString &url, double rate) {
    if (!m_started || rate <= 0)
        return;
    const QString host = net::originKey(QUrl(url));
    if (m_hostRates.find(host) == m_hostRates.end() && m_drawnHosts.size() < kHostLines) {
        m_drawnHosts.push_back(host);
        addSeries(tr("rate %1").arg(QUrl(host).authority()), Qt::AlignLeft);
    }
    m_hostRates[host] = rate;
}

std::vector<double> ThroughputChart::hostRateValues() {
    std::vector<double> values;
    for (const auto &host : m_drawnHosts)
        values.push_back(m_hostRates[host]);
    if (m_hostRates.size() > kHostLines) {
        if (!m_medianDrawn) {
            addSeries(tr("rate, median host"), Qt::AlignLeft);
            m_medianDrawn = true;
        }
        std::vector<double> all;
        for (const auto &[host, rate] : m_hostRates)
            all.push_back(rate);
        values.push_back(util::nearestRankPercentile(all, 50));
    }
    return values;
}

void ThroughputChart::stop() {
    sample();
    m_tick.stop();
}

void ThroughputChart::sample() {
    const qint64 now = elapsedMs();
    while (!m_recent.empty() && now - m_recent.front().first >= kWindowMs) // (now - 1 s, now]
        m_recent.pop_front();
    std::vector<double> latencies;
    latencies.reserve(m_recent.size());
    for (const auto &[at, ms] : m_recent)
        latencies.push_back(ms);
    // In the first second the window is only as long as the batch: dividing by a full second
    // would show a steady batch ramping up from 0.
    const qint64 span = std::clamp(now, kShortestSpanMs, kWindowMs);
    m_last = {double(m_recent.size()) * 1000.0 / double(span),
              util::nearestRankPercentile(latencies, 50),
              util::nearestRankPercentile(latencies, 95)};
    std::vector<double> values = m_last;
    for (const double v : hostRateValues())
        values.push_back(v);
    append(double(now) / 1000.0, values);
}

} // namespace vigil::widgets
