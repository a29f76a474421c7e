#include "throughputchart.h"

#include "util/percentile.h"

#include <QLineSeries>
#include <QValueAxis>

namespace vigil::widgets {

namespace {
constexpr qint64 kWindowMs = 1000;
}

ThroughputChart::ThroughputChart(QWidget *parent)
    : QChartView(new QChart, parent)
    , m_rate(new QLineSeries)
    , m_p50(new QLineSeries)
    , m_p95(new QLineSeries)
    , m_axisX(new QValueAxis)
    , m_axisRate(new QValueAxis)
    , m_axisLatency(new QValueAxis)
{
    auto *c = chart();
    c->setAnimationOptions(QChart::NoAnimation);
    c->setTitle(tr("Completions/s and latency"));
    m_rate->setName(tr("completions/s"));
    m_p50->setName(tr("latency p50 (ms)"));
    m_p95->setName(tr("latency p95 (ms)"));
    for (auto *s : {m_rate, m_p50, m_p95})
        c->addSeries(s);
    m_axisX->setTitleText(tr("seconds"));
    m_axisX->setLabelFormat(QStringLiteral("%.0f"));
    m_axisRate->setTitleText(tr("per second"));
    m_axisRate->setLabelFormat(QStringLiteral("%.0f"));
    m_axisLatency->setTitleText(tr("ms"));
    m_axisLatency->setLabelFormat(QStringLiteral("%.0f"));
    c->addAxis(m_axisX, Qt::AlignBottom);
    c->addAxis(m_axisRate, Qt::AlignLeft);
    c->addAxis(m_axisLatency, Qt::AlignRight);
    for (auto *s : {m_rate, m_p50, m_p95})
        s->attachAxis(m_axisX);
    m_rate->attachAxis(m_axisRate);
    m_p50->attachAxis(m_axisLatency);
    m_p95->attachAxis(m_axisLatency);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(280);
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setMargins(QMargins(4, 4, 4, 4));
    m_tick.setInterval(250);
    connect(&m_tick, &QTimer::timeout, this, &ThroughputChart::sample);
}

void ThroughputChart::start()
{
    m_ratePoints.clear();
    m_p50Points.clear();
    m_p95Points.clear();
    m_recent.clear();
    m_clock.start();
    m_tick.start();
    sample();
}

void ThroughputChart::record(double latencyMs)
{
    if (m_clock.isValid())
        m_recent.emplace_back(m_clock.elapsed(), latencyMs);
}

void ThroughputChart::stop()
{
    sample();
    m_tick.stop();
}

qsizetype ThroughputChart::pointCount() const
{
    return m_rate->count();
}

void ThroughputChart::sample()
{
    const qint64 now = m_clock.elapsed();
    while (!m_recent.empty() && now - m_recent.front().first > kWindowMs)
        m_recent.pop_front();
    std::vector<double> latencies;
    latencies.reserve(m_recent.size());
    for (const auto &[at, ms] : m_recent)
        latencies.push_back(ms);
    const double t = double(now) / 1000.0;
    m_ratePoints << QPointF(t, double(m_recent.size()) * 1000.0 / kWindowMs);
    m_p50Points << QPointF(t, util::nearestRankPercentile(latencies, 50));
    m_p95Points << QPointF(t, util::nearestRankPercentile(latencies, 95));
    m_rate->replace(m_ratePoints);
    m_p50->replace(m_p50Points);
    m_p95->replace(m_p95Points);
    m_axisX->setRange(0, std::max(5.0, t));
    double maxRate = 1, maxLatency = 1;
    for (const auto &p : m_ratePoints)
        maxRate = std::max(maxRate, p.y());
    for (const auto &p : m_p95Points)
        maxLatency = std::max(maxLatency, p.y());
    m_axisRate->setRange(0, maxRate * 1.15);
    m_axisLatency->setRange(0, maxLatency * 1.15);
}

} // namespace vigil::widgets
