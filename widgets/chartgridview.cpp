// SPDX-License-Identifier: Apache-2.0
#include "chartgridview.h"

#include "chartpanel.h"

#include "dashboard/chartlayout.h"

#include <QGridLayout>
#include <QResizeEvent>
#include <QScrollBar>

namespace vigil::widgets {

ChartGridView::ChartGridView(QWidget *parent)
    : QScrollArea(parent)
    , m_layout(new QGridLayout) {
    auto *content = new QWidget;
    content->setLayout(m_layout);
    setWidget(content);
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // A splitter may not squeeze the grid below one chart and its scroll bar.
    setMinimumWidth(ChartPanel::kMinWidth + verticalScrollBar()->sizeHint().width() +
                    m_layout->contentsMargins().left() + m_layout->contentsMargins().right());
}

void ChartGridView::setPanels(const QList<ChartPanel *> &panels) {
    for (auto *panel : m_panels) {
        m_layout->removeWidget(panel);
        panel->deleteLater();
    }
    m_panels = panels;
    // One cursor for all charts: the time under the mouse in one shows in every other.
    for (auto *source : m_panels) {
        connect(source, &ChartPanel::cursorMoved, this, [this, source](double timeMs) {
            for (auto *other : m_panels) {
                if (other != source)
                    other->showCursorAtTime(timeMs);
            }
        });
        connect(source, &ChartPanel::cursorLeft, this, [this, source] {
            for (auto *other : m_panels) {
                if (other != source)
                    other->hideCursor();
            }
        });
    }
    relayout(true);
}

void ChartGridView::resizeEvent(QResizeEvent *event) {
    QScrollArea::resizeEvent(event);
    relayout(false);
}

void ChartGridView::relayout(bool force) {
    const QMargins margins = m_layout->contentsMargins();
    // Leave room for the vertical scroll bar whether or not it shows, so that it appearing
    // never changes the column count back and forth.
    const int available =
        width() - verticalScrollBar()->sizeHint().width() - margins.left() - margins.right();
    const int columns = dashboard::gridColumns(m_panels.size(), available, ChartPanel::kMinWidth,
                                               std::max(0, m_layout->horizontalSpacing()));
    if (!force && columns == m_columns)
        return;
    m_columns = columns;
    for (auto *panel : m_panels)
        m_layout->removeWidget(panel);
    for (int c = 0; c < m_layout->columnCount(); ++c)
        m_layout->setColumnStretch(c, 0);
    for (qsizetype i = 0; i < m_panels.size(); ++i)
        m_layout->addWidget(m_panels[i], int(i / columns), int(i % columns));
    for (int c = 0; c < columns; ++c)
        m_layout->setColumnStretch(c, 1);
}

} // namespace vigil::widgets
