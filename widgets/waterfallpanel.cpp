// SPDX-License-Identifier: Apache-2.0
#include "waterfallpanel.h"

#include "attemptstable.h"
#include "waterfallview.h"

#include <QLabel>
#include <QVBoxLayout>

namespace vigil::widgets {

WaterfallPanel::WaterfallPanel(QWidget *parent)
    : QSplitter(Qt::Vertical, parent)
    , m_view(new WaterfallView)
    , m_caption(new QLabel(tr("Click a request to see its attempts")))
    , m_attempts(new AttemptsTable) {
    auto *below = new QWidget;
    auto *layout = new QVBoxLayout(below);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_caption);
    layout->addWidget(m_attempts);
    addWidget(m_view);
    addWidget(below);
    setStretchFactor(0, 3);
    setStretchFactor(1, 1);
    connect(m_view, &WaterfallView::itemClicked, this, [this](int item, int record) {
        const WaterfallView::Item &clicked = m_view->item(item);
        m_attempts->showItem(clicked.name, clicked.error, clicked.timeline, record);
        m_caption->setText(m_attempts->caption());
    });
}

void WaterfallPanel::clear() {
    m_view->clear();
    m_attempts->setRowCount(0);
    m_caption->setText(tr("Click a request to see its attempts"));
}

void WaterfallPanel::add(const fetch::ItemResult &result) {
    m_view->add(result);
}

} // namespace vigil::widgets
