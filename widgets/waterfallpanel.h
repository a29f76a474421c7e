// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSplitter>

class QLabel;

namespace vigil::fetch {
struct ItemResult;
}

namespace vigil::widgets {

class AttemptsTable;
class WaterfallView;

/// @brief The Batch Fetch tab's Waterfall: the timeline above, and below it the attempts of the
/// row last clicked.
class WaterfallPanel : public QSplitter {
    Q_OBJECT
public:
    explicit WaterfallPanel(QWidget *parent = nullptr);

    void clear();
    void add(const fetch::ItemResult &result);
    [[nodiscard]] WaterfallView *view() const { return m_view; }
    [[nodiscard]] AttemptsTable *attempts() const { return m_attempts; }
    [[nodiscard]] QLabel *caption() const { return m_caption; }

private:
    WaterfallView *m_view;
    QLabel *m_caption;
    AttemptsTable *m_attempts;
};

} // namespace vigil::widgets
