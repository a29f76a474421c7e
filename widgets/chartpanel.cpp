// SPDX-License-Identifier: Apache-2.0
#include "chartpanel.h"

#include "alarmcolors.h"
#include "cursoroverlay.h"
#include "curveitem.h"
#include "thresholdsdialog.h"

#include "dashboard/axisticks.h"

#include <QCategoryAxis>
#include <QContextMenuEvent>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QScatterSeries>
#include <QValueAxis>

#include <cmath>

namespace vigil::widgets {

namespace {
const QColor kAmber = alarmcolors::line(sensors::AlarmLevel::Warning);
const QColor kRed = alarmcolors::line(sensors::AlarmLevel::Alarm);
/// Above the threshold bands (Qt Charts puts line series at 4), below the gap markers (10).
constexpr double kCurveZ = 4.5;
} // namespace

ChartPanel::ChartPanel(QWidget *parent)
    : QChartView(new QChart, parent)
    , m_axisX(new QDateTimeAxis)
    , m_overlay(std::make_unique<CursorOverlay>(chart()->scene()))
    , m_spanMarks(std::make_unique<TimeSpanMarks>(chart()->scene()))
    , m_timeAxis(std::make_unique<TimeAxisItem>(chart())) {
    chart()->setAnimationOptions(QChart::NoAnimation);
    chart()->legend()->setAlignment(Qt::AlignTop);
    chart()->addAxis(m_axisX, Qt::AlignBottom);
    // The time axis maps time to x for the series, bands and marks; its labels and grid are the
    // TimeAxisItem's, which relabels nothing while scrolling. Its range is the window relative to
    // the frame's start (m_origin), so it changes only with the window's length: a range change
    // re-lays out the whole chart, about a tenth of a frame. An empty format makes the hidden
    // labels Qt Charts lays out empty strings: next to nothing to lay out.
    m_timeAxis->setStyle(m_axisX->labelsFont(), m_axisX->labelsBrush().color(),
                         m_axisX->gridLinePen());
    m_axisX->setLabelsVisible(false);
    m_axisX->setGridLineVisible(false);
    m_axisX->setFormat(QString());
    m_axisX->setTickCount(2);
    chart()->setMargins(QMargins(2, 2, 2, 2 + m_timeAxis->labelsHeight()));
    // No antialiasing for the chart's own lines and background: they are all horizontal or
    // vertical, and antialiased they took a quarter of an idle frame (the curves set their own).
    // A square background is filled, not stroked as a path. The cursor's round markers turn it
    // on while they show.
    chart()->setBackgroundRoundness(0);
    setRenderHint(QPainter::Antialiasing, false);
    // Scene changes do not repaint by themselves: the renderer asks for exactly one paint per UI
    // tick, after all of the tick's replace() calls (otherwise every replace schedules its own).
    setViewportUpdateMode(QGraphicsView::NoViewportUpdate);
    setMouseTracking(true);
    setMinimumSize(kMinWidth, 200);
    setLevel(sensors::AlarmLevel::Normal);
    // A resize or new axis labels move the plot: the curves follow at once, paused or not.
    connect(chart(), &QChart::plotAreaChanged, this, &ChartPanel::placeCurves);
}

ChartPanel::~ChartPanel() = default;

void ChartPanel::setSeries(const QList<SeriesInfo> &series) {
    chart()->removeAllSeries();
    for (auto *axis : chart()->axes(Qt::Vertical)) {
        chart()->removeAxis(axis);
        delete axis;
    }
    m_tracks.clear();
    m_info = series;
    QStringList titles;
    for (qsizetype i = 0; i < series.size(); ++i) {
        const SeriesInfo &info = series[i];
        Track track;
        // Category labels, so that each tick prints exactly the text axisticks chose for it.
        track.axis = new QCategoryAxis;
        track.axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        track.axis->setTitleText(info.unit);
        track.axis->setLinePenColor(info.color);
        track.axis->setLabelsColor(info.color);
        chart()->addAxis(track.axis, i % 2 == 0 ? Qt::AlignLeft : Qt::AlignRight);
        track.gaps = new QScatterSeries;
        track.gaps->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
        track.gaps->setMarkerSize(6);
        track.gaps->setColor(kRed);
        track.gaps->setBorderColor(kRed);
        track.gaps->setName(info.name + tr(" failed reads"));
        chart()->addSeries(track.gaps);
        track.gaps->attachAxis(m_axisX);
        track.gaps->attachAxis(track.axis);
        const struct {
            std::optional<double> bound;
            QColor color;
        } bands[] = {{info.thresholds.lowAlarm, kRed},
                     {info.thresholds.lowWarn, kAmber},
                     {info.thresholds.highWarn, kAmber},
                     {info.thresholds.highAlarm, kRed}};
        for (const auto &band : bands) {
            if (!band.bound)
                continue;
            auto *line = new QLineSeries;
            QPen pen(band.color, 1.2, Qt::DashLine);
            line->setPen(pen);
            line->setProperty("bound", *band.bound);
            chart()->addSeries(line);
            line->attachAxis(m_axisX);
            line->attachAxis(track.axis);
            track.bands.push_back(line);
        }
        track.anchor = new QLineSeries;
        track.anchor->setPen(QPen(info.color, 1.6));
        track.anchor->setName(legendName(info));
        chart()->addSeries(track.anchor);
        track.anchor->attachAxis(m_axisX);
        track.anchor->attachAxis(track.axis);
        track.curve = std::make_unique<CurveItem>(info.color, chart());
        track.curve->setZValue(kCurveZ);
        m_tracks.push_back(std::move(track));
        titles << info.name;
    }
    // Only the series themselves have legend entries, not their bands and gap markers.
    for (auto *marker : chart()->legend()->markers()) {
        const auto *s = marker->series();
        bool anchor = false;
        for (const auto &t : m_tracks)
            anchor |= s == t.anchor;
        marker->setVisible(anchor);
    }
    chart()->setTitle(titles.join(QStringLiteral(" · ")));
    viewport()->update();
}

QString ChartPanel::legendName(const SeriesInfo &info) {
    const QString name =
        info.unit.isEmpty() ? info.name : info.name + QStringLiteral(" (") + info.unit + u')';
    return info.stale ? name + tr(" · stale") : name;
}

void ChartPanel::setStale(int index, bool stale) {
    if (index < 0 || index >= m_info.size() || std::size_t(index) >= m_tracks.size())
        return;
    m_info[index].stale = stale;
    m_tracks[std::size_t(index)].anchor->setName(legendName(m_info[index]));
}

void ChartPanel::setData(int index, const QList<QPointF> &points, qint64 fromMs, qint64 toMs) {
    if (index < 0 || std::size_t(index) >= m_tracks.size())
        return;
    Track &track = m_tracks[std::size_t(index)];
    const SeriesInfo &info = m_info[index];
    QList<QPointF> gapTimes;
    double lo = INFINITY, hi = -INFINITY;
    for (const auto &p : points) {
        if (std::isnan(p.y())) {
            gapTimes << p;
            continue;
        }
        lo = std::min(lo, p.y());
        hi = std::max(hi, p.y());
    }
    // Bands are drawn even when the data is far from them, so the range always includes them.
    for (auto *band : track.bands) {
        const double bound = band->property("bound").toDouble();
        lo = std::min(lo, bound);
        hi = std::max(hi, bound);
        const QList<QPointF> across{QPointF(0, bound), QPointF(double(toMs - fromMs), bound)};
        if (band->points() != across)
            band->replace(across);
    }
    const int valueTicks = std::clamp(int(chart()->plotArea().height() / 36), 3, 7);
    applyTicks(track, dashboard::niceTicks(lo, hi, valueTicks, dashboard::scaleForUnit(info.unit)));
    QList<QPointF> markers;
    const double markerY = track.ticks.min + (track.ticks.max - track.ticks.min) * 0.03;
    for (const auto &g : gapTimes)
        markers << QPointF(g.x() - double(fromMs), markerY);
    track.gaps->replace(markers);
    track.points = points;
    track.from = fromMs;
    track.to = toMs;
    track.columns = plotWidth();
    m_origin = fromMs;
    if (m_axisX->max().toMSecsSinceEpoch() != toMs - fromMs || m_axisX->min().toMSecsSinceEpoch())
        m_axisX->setRange(QDateTime::fromMSecsSinceEpoch(0),
                          QDateTime::fromMSecsSinceEpoch(toMs - fromMs));
    placeCurves();
    placeTimeSpans();
    updateCursor();
}

void ChartPanel::placeCurves() {
    const QRectF plot = chart()->plotArea();
    for (auto &track : m_tracks) {
        track.curve->setData(track.points, {plot, track.from, track.to, track.ticks.min,
                                            track.ticks.max, track.columns});
    }
    if (!m_tracks.empty() && m_tracks.front().to > m_tracks.front().from) {
        const Track &t = m_tracks.front();
        m_timeAxis->place({plot, t.from, t.to, 0, 1, t.columns});
    }
}

void ChartPanel::setTimeSpans(const QList<TimeSpan> &spans) {
    m_spanMarks->setSpans(spans);
    placeTimeSpans();
}

void ChartPanel::placeTimeSpans() {
    if (m_tracks.empty())
        return; // nothing maps time to x yet: the next setData() places them
    const auto xOf = [this](double timeMs) { return chart()->mapToScene(positionOf(timeMs)).x(); };
    m_spanMarks->place(chart()->mapRectToScene(chart()->plotArea()), xOf);
}

void ChartPanel::applyTicks(Track &track, const dashboard::AxisTicks &ticks) {
    if (track.ticks == ticks)
        return; // relabelling re-lays the chart out: only when the ticks really change
    track.ticks = ticks;
    for (const auto &label : track.axis->categoriesLabels())
        track.axis->remove(label);
    track.axis->setStartValue(ticks.min);
    for (qsizetype i = 0; i < ticks.values.size(); ++i)
        track.axis->append(ticks.labels[i], ticks.values[i]);
    track.axis->setRange(ticks.min, ticks.max);
}

QValueAxis *ChartPanel::axisFor(int index) const {
    return m_tracks[std::size_t(index)].axis;
}

QPointF ChartPanel::positionOf(double timeMs) const {
    return chart()->mapToPosition(axisPoint(timeMs, 0),
                                  m_tracks.empty() ? nullptr : m_tracks.front().anchor);
}

std::optional<std::pair<QDateTime, QDateTime>> ChartPanel::shownRange() const {
    if (m_tracks.empty() || m_tracks.front().to <= m_tracks.front().from)
        return std::nullopt;
    return std::pair{QDateTime::fromMSecsSinceEpoch(m_tracks.front().from),
                     QDateTime::fromMSecsSinceEpoch(m_tracks.front().to)};
}

QStringList ChartPanel::tickLabels(int index) const {
    return m_tracks[std::size_t(index)].axis->categoriesLabels();
}

void ChartPanel::setLevel(sensors::AlarmLevel level) {
    m_level = level;
    // Every frame sets the level: setting the same brush again would still re-lay out the chart.
    if (level == m_shownLevel)
        return;
    m_shownLevel = level;
    chart()->setBackgroundBrush(alarmcolors::background(level));
    chart()->setBackgroundPen(
        QPen(alarmcolors::line(level), level == sensors::AlarmLevel::Normal ? 1 : 3));
    viewport()->update();
}

int ChartPanel::plotWidth() const {
    return std::max(50, int(chart()->plotArea().width()));
}

qsizetype ChartPanel::drawnPoints(int index) const {
    const auto &points = m_tracks[std::size_t(index)].points;
    return std::count_if(points.begin(), points.end(),
                         [](const QPointF &p) { return !std::isnan(p.y()); });
}

qsizetype ChartPanel::drawnGaps(int index) const {
    return m_tracks[std::size_t(index)].gaps->count();
}

void ChartPanel::contextMenuEvent(QContextMenuEvent *event) {
    QList<QPair<QString, QString>> sensors;
    for (const auto &info : m_info)
        sensors.append({info.id, info.name});
    popupThresholdsMenu(this, sensors, event->globalPos(),
                        [this](const QString &id) { Q_EMIT thresholdsRequested(id); });
}

void ChartPanel::mouseMoveEvent(QMouseEvent *event) {
    showCursorAt(event->position().toPoint());
    QChartView::mouseMoveEvent(event);
}

void ChartPanel::leaveEvent(QEvent *event) {
    m_mouse.reset();
    clearCursor();
    Q_EMIT cursorLeft();
    QChartView::leaveEvent(event);
}

void ChartPanel::showCursorAt(const QPoint &viewPos) {
    m_mouse = viewPos;
    m_linkedTime.reset();
    updateCursor();
}

void ChartPanel::showCursorAtTime(double timeMs) {
    m_mouse.reset();
    m_linkedTime = timeMs;
    updateCursor();
}

void ChartPanel::hideCursor() {
    m_mouse.reset();
    m_linkedTime.reset();
    clearCursor();
}

void ChartPanel::clearCursor() {
    m_overlay->hide();
    setRenderHint(QPainter::Antialiasing, false);
    m_cursorText.clear();
    viewport()->update();
}

std::optional<double> ChartPanel::cursorTime() const {
    if (m_linkedTime)
        return m_linkedTime;
    if (!m_mouse || m_tracks.empty())
        return std::nullopt;
    const QPointF chartPos = chart()->mapFromScene(mapToScene(*m_mouse));
    if (!chart()->plotArea().contains(chartPos))
        return std::nullopt;
    return chart()->mapToValue(chartPos, m_tracks.front().anchor).x() + double(m_origin);
}

void ChartPanel::updateCursor() {
    if (!m_mouse && !m_linkedTime)
        return;
    const auto t = cursorTime();
    if (!t || m_tracks.empty()) {
        clearCursor();
        if (m_mouse)
            Q_EMIT cursorLeft();
        return;
    }
    if (m_mouse)
        Q_EMIT cursorMoved(*t); // the other charts follow this one's time
    QStringList lines{
        QDateTime::fromMSecsSinceEpoch(qint64(*t)).toString(QStringLiteral("HH:mm:ss.zzz"))};
    QList<CursorOverlay::Marker> markers;
    for (std::size_t i = 0; i < m_tracks.size(); ++i) {
        const auto &pts = m_tracks[i].points;
        const auto it = std::lower_bound(pts.begin(), pts.end(), *t,
                                         [](const QPointF &p, double x) { return p.x() < x; });
        const QPointF *nearest = nullptr;
        if (it != pts.end())
            nearest = &*it;
        if (it != pts.begin() &&
            (!nearest || std::abs((it - 1)->x() - *t) < std::abs(nearest->x() - *t)))
            nearest = &*(it - 1);
        const SeriesInfo &info = m_info[qsizetype(i)];
        const QString value = !nearest ? QStringLiteral("–")
                              : std::isnan(nearest->y())
                                  ? tr("no reading")
                                  : dashboard::formatReading(nearest->y()) + u' ' + info.unit;
        lines << info.name + QStringLiteral(": ") + value;
        if (nearest && !std::isnan(nearest->y()))
            markers << CursorOverlay::Marker{
                chart()->mapToScene(chart()->mapToPosition(axisPoint(nearest->x(), nearest->y()),
                                                           m_tracks[i].anchor)),
                info.color};
    }
    m_cursorText = lines.join(u'\n');
    const double x = chart()->mapToScene(positionOf(*t)).x();
    m_overlay->show(chart()->mapRectToScene(chart()->plotArea()), x, markers, m_cursorText);
    setRenderHint(QPainter::Antialiasing, true);
    viewport()->update();
}

bool ChartPanel::crosshairShown() const {
    return m_overlay->isShown();
}

qsizetype ChartPanel::markersShown() const {
    return m_overlay->markersShown();
}

QRectF ChartPanel::readoutBackground() const {
    return m_overlay->readoutBackground();
}

QRectF ChartPanel::readoutText() const {
    return m_overlay->readoutText();
}

} // namespace vigil::widgets
