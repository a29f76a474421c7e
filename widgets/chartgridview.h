// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QScrollArea>

class QGridLayout;

namespace vigil::widgets {

class ChartPanel;

/// @brief The dashboard's charts in a grid that takes as many columns as its width holds and
/// scrolls only vertically, so that no chart hides behind the side panel.
class ChartGridView : public QScrollArea {
    Q_OBJECT
public:
    explicit ChartGridView(QWidget *parent = nullptr);

    /// Shows @p panels, in order, in place of the current ones (which are deleted).
    void setPanels(const QList<ChartPanel *> &panels);
    [[nodiscard]] const QList<ChartPanel *> &panels() const { return m_panels; }
    [[nodiscard]] int columns() const { return m_columns; }
    /// The widget holding the charts: what a PNG export grabs.
    [[nodiscard]] QWidget *content() const { return widget(); }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void relayout(bool force);

    QGridLayout *m_layout;
    QList<ChartPanel *> m_panels;
    int m_columns = 0;
};

} // namespace vigil::widgets
