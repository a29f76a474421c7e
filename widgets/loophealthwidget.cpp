// SPDX-License-Identifier: Apache-2.0
#include "loophealthwidget.h"

#include "async/looplagprobe.h"

namespace vigil::widgets {

LoopHealthWidget::LoopHealthWidget(const async::LoopLagProbe *probe, QWidget *parent)
    : QLabel(parent)
    , m_probe(probe) {
    setToolTip(tr("How late the GUI event loop wakes up: the 50th and 99th percentile over the "
                  "last few seconds. High values mean work is blocking the GUI thread."));
    // A fixed size: new text then repaints the label alone instead of re-laying out the status
    // bar four times a second (most of what an idle window costs).
    keepSizeFor(*this, QStringLiteral("loop lag p50 0000.0 ms · p99 0000.0 ms"));
    m_refresh.setInterval(250);
    connect(&m_refresh, &QTimer::timeout, this, &LoopHealthWidget::refresh);
    m_refresh.start();
    refresh();
}

LoopHealthWidget::Health LoopHealthWidget::classify(double p99Ms) {
    if (p99Ms >= kVisibleStallMs)
        return Health::Blocked;
    if (p99Ms >= kFrameMs)
        return Health::Strained;
    return Health::Good;
}

void LoopHealthWidget::refresh() {
    const double p50 = m_probe->p50Ms();
    const double p99 = m_probe->p99Ms();
    const Health health = classify(p99);
    const QString text =
        tr("loop lag p50 %1 ms · p99 %2 ms").arg(p50, 0, 'f', 1).arg(p99, 0, 'f', 1);
    if (text != this->text())
        setText(text);
    if (health == m_health && m_coloured)
        return; // a style sheet re-polishes the widget: only when the colour changes
    m_health = health;
    m_coloured = true;
    static const char *const colours[] = {"#2e7d32", "#ef6c00", "#c62828"};
    setStyleSheet(
        QStringLiteral("QLabel { color: %1; }").arg(QLatin1String(colours[int(m_health)])));
}

void keepSizeFor(QLabel &label, const QString &widest) {
    label.setFixedSize(label.fontMetrics().horizontalAdvance(widest) + 2 * label.margin() + 4,
                       label.sizeHint().height());
}

} // namespace vigil::widgets
