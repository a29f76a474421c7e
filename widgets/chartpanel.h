// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dashboard/axisticks.h"
#include "sensors/thresholds.h"
#include "timeaxisitem.h"
#include "timespanmarks.h"

#include <QChartView>
#include <QColor>
#include <QDateTime>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

class QCategoryAxis;
class QDateTimeAxis;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace vigil::widgets {

class CurveItem;
class CursorOverlay;

/// @brief What a ChartPanel needs to know about one series.
struct SeriesInfo {
    QString id;
    QString name;
    QString unit;
    QColor color;
    sensors::Thresholds thresholds;
    bool stale = false; ///< a pushed series that went silent: its legend entry says so
};

/// @brief One tile of the dashboard: one or more series over wall-clock time, each with its own
/// Y axis, threshold bands, gaps where readings failed, and a cursor readout.
///
/// It only draws what it is given: setData() takes decimated points and hands them to a CurveItem,
/// which draws each pixel column's min/max span. Qt Charts keeps the axes, legend, threshold
/// bands and gap markers. No animations.
class ChartPanel : public QChartView {
    Q_OBJECT
public:
    explicit ChartPanel(QWidget *parent = nullptr);
    ~ChartPanel() override;

    void setSeries(const QList<SeriesInfo> &series);
    [[nodiscard]] const QList<SeriesInfo> &series() const { return m_info; }
    /// Draws @p points (NaN = a failed reading) for series @p index over [fromMs, toMs].
    void setData(int index, const QList<QPointF> &points, qint64 fromMs, qint64 toMs);
    /// Marks series @p index stale (its legend entry reads "name · stale", in grey) or not.
    void setStale(int index, bool stale);
    /// Colours the tile for its worst alarm level.
    void setLevel(sensors::AlarmLevel level);
    [[nodiscard]] sensors::AlarmLevel level() const { return m_level; }

    /// Plot-area width in pixels: how many columns decimation should produce.
    [[nodiscard]] int plotWidth() const;
    [[nodiscard]] QString cursorText() const { return m_cursorText; }
    /// Shows the cursor for the time under @p viewPos, as the mouse does, and tells the other
    /// charts (cursorMoved).
    void showCursorAt(const QPoint &viewPos);
    /// Shows the cursor at @p timeMs because another chart's cursor is there.
    void showCursorAtTime(double timeMs);
    void hideCursor();
    [[nodiscard]] bool crosshairShown() const;
    /// Markers on the series' points under the cursor.
    [[nodiscard]] qsizetype markersShown() const;
    /// Scene rectangles of the readout's background and of its text.
    [[nodiscard]] QRectF readoutBackground() const;
    [[nodiscard]] QRectF readoutText() const;
    /// Points currently drawn for series @p index (failed readings excluded), and its gap markers.
    [[nodiscard]] qsizetype drawnPoints(int index) const;
    [[nodiscard]] qsizetype drawnGaps(int index) const;
    [[nodiscard]] QValueAxis *axisFor(int index) const;
    /// Shades @p spans (e.g. a stall) wherever they fall in the shown time window.
    void setTimeSpans(const QList<TimeSpan> &spans);
    [[nodiscard]] const TimeSpanMarks &timeSpanMarks() const { return *m_spanMarks; }
    [[nodiscard]] const TimeAxisItem &timeAxis() const { return *m_timeAxis; }
    /// Where the chart (in its own coordinates) draws the moment @p timeMs, as bands, gap marks
    /// and the cursor place it.
    [[nodiscard]] QPointF positionOf(double timeMs) const;
    /// The times at the plot's left and right edges; none before the first setData().
    [[nodiscard]] std::optional<std::pair<QDateTime, QDateTime>> shownRange() const;
    /// The labels on series @p index's value axis, bottom to top.
    [[nodiscard]] QStringList tickLabels(int index) const;

    /// The narrowest a chart gets: the grid takes fewer columns rather than go below it.
    static constexpr int kMinWidth = 280;

Q_SIGNALS:
    /// The mouse put this chart's cursor at @p timeMs (ms since the epoch).
    void cursorMoved(double timeMs);
    void cursorLeft();
    /// The user asked, from the context menu, to edit the alarms of series @p id.
    void thresholdsRequested(const QString &id);

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    struct Track {
        QLineSeries *anchor = nullptr; ///< empty: the legend entry, and what maps values to pixels
        std::unique_ptr<CurveItem> curve;
        QScatterSeries *gaps = nullptr;
        std::vector<QLineSeries *> bands;
        QCategoryAxis *axis = nullptr;
        dashboard::AxisTicks ticks; ///< never equal to niceTicks(), which always has values
        QList<QPointF> points;      ///< what is drawn, for the cursor readout
        qint64 from = 0;
        qint64 to = 0;
        int columns = 1;
    };
    void placeCurves();
    [[nodiscard]] static QString legendName(const SeriesInfo &info);
    void updateCursor();
    void placeTimeSpans();
    void clearCursor();
    [[nodiscard]] std::optional<double> cursorTime() const;
    static void applyTicks(Track &track, const dashboard::AxisTicks &ticks);
    /// @p timeMs as the hidden X axis counts it: from the frame's start.
    [[nodiscard]] QPointF axisPoint(double timeMs, double y) const {
        return {timeMs - double(m_origin), y};
    }

    QList<SeriesInfo> m_info;
    std::vector<Track> m_tracks;
    QDateTimeAxis *m_axisX;
    qint64 m_origin = 0; ///< the time (ms) at the plot's left edge, where the X axis counts from
    std::unique_ptr<CursorOverlay> m_overlay;
    std::unique_ptr<TimeSpanMarks> m_spanMarks;
    std::unique_ptr<TimeAxisItem> m_timeAxis; ///< a child of the chart, destroyed before it
    sensors::AlarmLevel m_level = sensors::AlarmLevel::Normal;
    std::optional<sensors::AlarmLevel> m_shownLevel; ///< none until the first setLevel()
    std::optional<QPoint> m_mouse;
    std::optional<double> m_linkedTime; ///< set while another chart's cursor leads
    QString m_cursorText;
};

} // namespace vigil::widgets
