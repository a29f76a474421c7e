#include "livechart.h"

#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>

namespace vigil::widgets {

namespace {
// 30 Hz is smooth for a process trend and leaves the GUI thread mostly idle.
constexpr auto kUiTick = std::chrono::milliseconds(33);
} // namespace

LiveChart::LiveChart(const QString &title, const QString &unit, std::chrono::seconds window,
                     QWidget *parent)
    // The chart goes in through the constructor: setChart() would orphan the default chart.
    : QChartView(new QChart, parent)
    , m_series(new QLineSeries)
    , m_axisX(new QDateTimeAxis)
    , m_axisY(new QValueAxis)
    , m_window(window)
{
    auto *c = chart();
    c->setTitle(title);
    c->setAnimationOptions(QChart::NoAnimation);
    c->legend()->hide();
    c->addSeries(m_series);
    m_axisX->setFormat(QStringLiteral("HH:mm:ss"));
    m_axisX->setTickCount(6);
    m_axisY->setTitleText(unit);
    m_axisY->setLabelFormat(QStringLiteral("%.1f"));
    c->addAxis(m_axisX, Qt::AlignBottom);
    c->addAxis(m_axisY, Qt::AlignLeft);
    m_series->attachAxis(m_axisX);
    m_series->attachAxis(m_axisY);
    m_series->setName(title);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 220);

    m_uiTick.setInterval(kUiTick);
    connect(&m_uiTick, &QTimer::timeout, this, &LiveChart::redraw);
    m_uiTick.start();
}

void LiveChart::addSample(const QDateTime &time, double value)
{
    m_samples.emplace_back(double(time.toMSecsSinceEpoch()), value);
    trim(time.toMSecsSinceEpoch());
    m_dirty = true;
}

void LiveChart::setWindow(std::chrono::seconds window)
{
    m_window = window;
    m_dirty = true;
}

qsizetype LiveChart::drawnPointCount() const
{
    return m_series->count();
}

void LiveChart::trim(qint64 nowMs)
{
    const double oldest = double(nowMs - std::chrono::milliseconds(m_window).count());
    while (!m_samples.empty() && m_samples.front().x() < oldest)
        m_samples.pop_front();
}

void LiveChart::redraw()
{
    if (!m_dirty || m_samples.empty())
        return;
    m_dirty = false;
    ++m_redraws;
    const QList<QPointF> points(m_samples.begin(), m_samples.end());
    m_series->replace(points);

    const qint64 newest = qint64(m_samples.back().x());
    m_axisX->setRange(QDateTime::fromMSecsSinceEpoch(newest - std::chrono::milliseconds(m_window).count()),
                      QDateTime::fromMSecsSinceEpoch(newest));
    const auto [lo, hi] = std::minmax_element(m_samples.begin(), m_samples.end(),
                                              [](const QPointF &a, const QPointF &b) {
                                                  return a.y() < b.y();
                                              });
    const double pad = std::max(0.5, (hi->y() - lo->y()) * 0.1);
    m_axisY->setRange(lo->y() - pad, hi->y() + pad);
}

} // namespace vigil::widgets
