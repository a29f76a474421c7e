// SPDX-License-Identifier: Apache-2.0
#include "waterfallview.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace vigil::widgets {

namespace {
constexpr int kAxisHeight = 36; // the legend, then the time labels
constexpr double kMinSpanMs = 1;
constexpr double kMinRows = 4;
constexpr double kZoomPerStep = 0.8; // one wheel notch shows 80 % of the span

/// A "nice" step (1, 2 or 5 × 10^k) that puts about @p ticks ticks over @p span.
double niceStep(double span, int ticks) {
    const double raw = span / std::max(1, ticks);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0})
        if (raw <= m * magnitude)
            return m * magnitude;
    return 10 * magnitude;
}

QString timeLabel(double ms, double step) {
    if (step >= 1000)
        return QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', step >= 10000 ? 0 : 1);
    return QStringLiteral("%1 ms").arg(ms, 0, 'f', step >= 1 ? 0 : 1);
}
} // namespace

WaterfallView::WaterfallView(QWidget *parent)
    : QWidget(parent) {
    setMinimumHeight(160);
    setMouseTracking(false);
    setToolTip(tr("Wheel: zoom time · Shift+wheel: zoom rows · drag: pan · double-click: fit · "
                  "click a row: its attempts"));
    m_repaint.setSingleShot(true);
    m_repaint.setInterval(250);
    connect(&m_repaint, &QTimer::timeout, this, [this] {
        if (m_fitted)
            fit();
        update();
    });
}

QColor WaterfallView::colour(WaterfallIndex::Phase phase) {
    static const std::array<QColor, WaterfallIndex::kPhases> colours{
        QColor(0xb8, 0xb8, 0xb8), QColor(0xf0, 0x9a, 0x28), QColor(0xa0, 0x6c, 0xd0),
        QColor(0x2a, 0x9d, 0x9d), QColor(0x3c, 0xaa, 0x3c), QColor(0x2f, 0x6f, 0xde)};
    return colours.at(std::size_t(phase));
}

QString WaterfallView::phaseName(WaterfallIndex::Phase phase) {
    switch (phase) {
    case WaterfallIndex::Queued:
        return tr("queued");
    case WaterfallIndex::HostWait:
        return tr("host wait");
    case WaterfallIndex::Backoff:
        return tr("backoff");
    case WaterfallIndex::Connect:
        return tr("connect");
    case WaterfallIndex::Wait:
        return tr("first byte");
    case WaterfallIndex::Receive:
    case WaterfallIndex::kPhases:
        break;
    }
    return tr("body");
}

void WaterfallView::clear() {
    m_index.clear();
    m_items.clear();
    m_selected = {-1, -1};
    m_fitted = true;
    fit();
}

void WaterfallView::add(const fetch::ItemResult &result) {
    m_index.add(result, int(m_items.size()));
    m_items.append({result.item, result.error, result.timeline});
    if (!m_repaint.isActive())
        m_repaint.start();
}

void WaterfallView::fit() {
    m_fitted = true;
    m_fromMs = 0;
    m_toMs = std::max(kMinSpanMs, m_index.endMs() * 1.02);
    m_firstRow = 0;
    m_lastRow = std::max(1.0, double(m_index.rows()));
    update();
}

void WaterfallView::setWindow(double fromMs, double toMs, double firstRow, double lastRow) {
    m_fitted = false;
    m_fromMs = fromMs;
    m_toMs = toMs;
    m_firstRow = firstRow;
    m_lastRow = lastRow;
    clampWindow();
    update();
}

void WaterfallView::clampWindow() {
    const double span = std::max(kMinSpanMs, m_toMs - m_fromMs);
    const double end = std::max(kMinSpanMs, m_index.endMs() * 1.02);
    m_fromMs = std::clamp(m_fromMs, 0.0, std::max(0.0, end - span));
    m_toMs = m_fromMs + span;
    const double total = std::max(1.0, double(m_index.rows()));
    const double rows = std::clamp(m_lastRow - m_firstRow, std::min(kMinRows, total), total);
    m_firstRow = std::clamp(m_firstRow, 0.0, total - rows);
    m_lastRow = m_firstRow + rows;
}

QRect WaterfallView::plotArea() const {
    return rect().adjusted(0, kAxisHeight, 0, 0);
}

double WaterfallView::msToX(double ms) const {
    return (ms - m_fromMs) / (m_toMs - m_fromMs) * width();
}

int WaterfallView::rowAt(int y) const {
    const QRect area = plotArea();
    if (y < area.top() || m_index.rows() == 0)
        return -1;
    const double rowsPerPixel = (m_lastRow - m_firstRow) / std::max(1, area.height());
    const int row = int(m_firstRow + (y - area.top()) * rowsPerPixel);
    return row < m_index.rows() ? row : -1;
}

void WaterfallView::fill(QPainter &p, const QRectF &rect, const QColor &colour) {
    p.fillRect(rect, colour);
    ++m_lastPaintRects;
}

void WaterfallView::paintEvent(QPaintEvent *) {
    QPainter p(this);
    m_lastPaintRects = 0;
    p.fillRect(rect(), palette().base());
    const QRect area = plotArea();
    paintLegend(p);
    if (m_index.rows() == 0) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter,
                   tr("Each request of a batch appears here, on a timeline"));
        return;
    }
    paintAxis(p);
    m_index.prepare();
    p.setClipRect(area);
    const double rowsPerPixel = (m_lastRow - m_firstRow) / std::max(1, area.height());
    if (rowsPerPixel <= 1)
        paintRows(p, area);
    else
        paintGroups(p, area, rowsPerPixel);
}

void WaterfallView::paintRows(QPainter &p, const QRect &area) {
    const double rowHeight = area.height() / (m_lastRow - m_firstRow);
    const double barHeight = rowHeight >= 4 ? rowHeight - 1 : rowHeight;
    const double pxPerMs = width() / (m_toMs - m_fromMs);
    const int last = std::min(m_index.rows(), int(std::ceil(m_lastRow)));
    for (int i = int(m_firstRow); i < last; ++i) {
        const WaterfallIndex::Row &row = m_index.row(i);
        const double y = area.top() + (i - m_firstRow) * rowHeight;
        if (std::pair(row.item, row.record) == m_selected)
            fill(p, QRectF(0, y, width(), rowHeight),
                 palette().color(QPalette::Highlight).lighter(170));
        double x = msToX(row.startMs);
        if (x > width() || msToX(row.endMs()) < 0)
            continue;
        int shown = -1;
        for (int phase = 0; phase < WaterfallIndex::kPhases; ++phase) {
            const double w = double(row.ms[phase]) * pxPerMs;
            if (w >= 0.25) {
                fill(p, QRectF(x, y, w, barHeight), colour(WaterfallIndex::Phase(phase)));
                shown = phase;
            }
            x += w;
        }
        if (shown < 0) // shorter than a pixel: a sliver, so that no request is invisible
            fill(p, QRectF(msToX(row.startMs), y, 1, barHeight), colour(WaterfallIndex::Wait));
    }
}

void WaterfallView::paintGroups(QPainter &p, const QRect &area, double rowsPerPixel) {
    const int level = WaterfallIndex::levelFor(rowsPerPixel);
    const double size = std::ldexp(1.0, level);
    const int last = std::min(m_index.groups(level), int(std::ceil(m_lastRow / size)));
    const double height = std::max(1.0, size / rowsPerPixel);
    for (int g = int(m_firstRow / size); g < last; ++g) {
        const WaterfallIndex::Group &group = m_index.group(level, g);
        const double y = area.top() + (g * size - m_firstRow) / rowsPerPixel;
        const double x = msToX(group.startMs);
        const double w = std::max(1.0, msToX(group.endMs) - x);
        fill(p, QRectF(x, y, w, height), colour(group.dominant()));
    }
}

void WaterfallView::paintAxis(QPainter &p) {
    const double span = m_toMs - m_fromMs;
    const double step = niceStep(span, std::max(2, width() / 100));
    const QColor grid = palette().color(QPalette::Mid);
    p.setPen(palette().color(QPalette::Text));
    for (double t = std::ceil(m_fromMs / step) * step; t <= m_toMs; t += step) {
        const int x = int(std::round(msToX(t)));
        p.setPen(grid);
        p.drawLine(x, kAxisHeight - 4, x, height());
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(x + 3, kAxisHeight - 18, 90, 14), Qt::AlignLeft | Qt::AlignVCenter,
                   timeLabel(t, step));
    }
}

void WaterfallView::paintLegend(QPainter &p) {
    const QFontMetrics metrics(font());
    int x = width() - 6;
    for (int phase = WaterfallIndex::kPhases - 1; phase >= 0; --phase) {
        const QString name = phaseName(WaterfallIndex::Phase(phase));
        x -= metrics.horizontalAdvance(name);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QPoint(x, 13), name);
        x -= 14;
        p.fillRect(QRect(x, 4, 10, 10), colour(WaterfallIndex::Phase(phase)));
        x -= 10;
    }
}

void WaterfallView::wheelEvent(QWheelEvent *event) {
    const QPoint delta = event->angleDelta();
    const double steps = (delta.y() != 0 ? delta.y() : delta.x()) / 120.0;
    const double factor = std::pow(kZoomPerStep, steps);
    const QPointF at = event->position();
    if (event->modifiers().testFlag(Qt::ShiftModifier)) {
        const double rowsPerPixel = (m_lastRow - m_firstRow) / std::max(1, plotArea().height());
        const double anchor = m_firstRow + (at.y() - plotArea().top()) * rowsPerPixel;
        const double rows = (m_lastRow - m_firstRow) * factor;
        m_firstRow = anchor - (anchor - m_firstRow) * factor;
        m_lastRow = m_firstRow + rows;
    } else {
        const double anchor = m_fromMs + at.x() / std::max(1, width()) * (m_toMs - m_fromMs);
        const double span = std::max(kMinSpanMs, (m_toMs - m_fromMs) * factor);
        m_fromMs = anchor - (anchor - m_fromMs) * factor;
        m_toMs = m_fromMs + span;
    }
    m_fitted = false;
    clampWindow();
    update();
    event->accept();
}

void WaterfallView::mousePressEvent(QMouseEvent *event) {
    m_pressAt = m_lastDrag = event->position().toPoint();
    m_dragged = false;
}

void WaterfallView::mouseMoveEvent(QMouseEvent *event) {
    const QPoint at = event->position().toPoint();
    m_dragged = m_dragged || (at - m_pressAt).manhattanLength() > 3;
    if (!m_dragged)
        return;
    const QPoint moved = at - m_lastDrag;
    m_lastDrag = at;
    const double msPerPixel = (m_toMs - m_fromMs) / std::max(1, width());
    const double rowsPerPixel = (m_lastRow - m_firstRow) / std::max(1, plotArea().height());
    m_fromMs -= moved.x() * msPerPixel;
    m_toMs -= moved.x() * msPerPixel;
    m_firstRow -= moved.y() * rowsPerPixel;
    m_lastRow -= moved.y() * rowsPerPixel;
    m_fitted = false;
    clampWindow();
    update();
}

void WaterfallView::mouseReleaseEvent(QMouseEvent *event) {
    if (m_dragged)
        return;
    const int row = rowAt(event->position().toPoint().y());
    if (row < 0)
        return;
    const WaterfallIndex::Row &r = m_index.row(row);
    m_selected = {r.item, r.record};
    update();
    Q_EMIT itemClicked(r.item, r.record);
}

void WaterfallView::mouseDoubleClickEvent(QMouseEvent *) {
    fit();
}

} // namespace vigil::widgets
