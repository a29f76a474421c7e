#pragma once

#include <QChartView>
#include <QDateTime>
#include <QTimer>

#include <chrono>
#include <deque>

class QLineSeries;
class QDateTimeAxis;
class QValueAxis;

namespace vigil::widgets {

/// @brief One live time series over a sliding window: samples mark the chart dirty, and one UI tick
/// redraws it with a single replace(); never an append() per point, and no animations.
class LiveChart : public QChartView {
    Q_OBJECT
public:
    LiveChart(const QString &title, const QString &unit, std::chrono::seconds window,
              QWidget *parent = nullptr);

    void addSample(const QDateTime &time, double value);
    void setWindow(std::chrono::seconds window);

    /// Points handed to the series at the last redraw.
    [[nodiscard]] qsizetype drawnPointCount() const;
    [[nodiscard]] int redrawCount() const { return m_redraws; }

private:
    void redraw();
    void trim(qint64 nowMs);

    QLineSeries *m_series;
    QDateTimeAxis *m_axisX;
    QValueAxis *m_axisY;
    std::deque<QPointF> m_samples;
    std::chrono::seconds m_window;
    QTimer m_uiTick;
    bool m_dirty = false;
    int m_redraws = 0;
};

} // namespace vigil::widgets
