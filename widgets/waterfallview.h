// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "waterfallindex.h"

#include <QTimer>
#include <QWidget>

namespace vigil::widgets {

/// @brief A batch's requests on a timeline, like a browser's network panel: a row per attempt
/// (and redirect hop), its bar coloured by phase (queued, host wait, backoff, connect, waiting
/// for the first byte, body).
///
/// The wheel zooms time around the pointer, Shift+wheel zooms rows, a drag pans, a double-click
/// fits everything again, and a click on a row says which item it was (itemClicked). Where rows
/// outnumber pixels, each pixel row is one bar for the rows it covers (coloured by their
/// dominant phase), so a paint costs the widget's height whatever the row count.
class WaterfallView : public QWidget {
    Q_OBJECT
public:
    /// What a click shows of an item: its name, its attempts and how it ended.
    struct Item {
        QString name;
        QString error;
        QList<fetch::AttemptPhases> timeline; ///< shared with the results table's copy
    };

    explicit WaterfallView(QWidget *parent = nullptr);

    void clear();
    /// Adds @p result's attempts; it is item number itemCount() - 1 from then on.
    void add(const fetch::ItemResult &result);
    [[nodiscard]] int itemCount() const { return int(m_items.size()); }
    [[nodiscard]] const Item &item(int i) const { return m_items.at(i); }
    [[nodiscard]] int rows() const { return m_index.rows(); }
    /// Shows time [fromMs, toMs) and rows [firstRow, lastRow).
    void setWindow(double fromMs, double toMs, double firstRow, double lastRow);
    void fit();
    /// Rectangles the last paint filled: bounded by the height, not by the rows.
    [[nodiscard]] int lastPaintRects() const { return m_lastPaintRects; }
    /// The row under @p y, or -1.
    [[nodiscard]] int rowAt(int y) const;
    [[nodiscard]] static QColor colour(WaterfallIndex::Phase phase);
    [[nodiscard]] static QString phaseName(WaterfallIndex::Phase phase);

Q_SIGNALS:
    /// A row was clicked: its item (item(i)) and that item's attempt record.
    void itemClicked(int item, int record);

protected:
    void paintEvent(QPaintEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;

private:
    [[nodiscard]] QRect plotArea() const;
    [[nodiscard]] double msToX(double ms) const;
    void paintAxis(QPainter &p);
    void paintLegend(QPainter &p);
    void paintRows(QPainter &p, const QRect &area);
    void paintGroups(QPainter &p, const QRect &area, double rowsPerPixel);
    void fill(QPainter &p, const QRectF &rect, const QColor &colour);
    void clampWindow();

    WaterfallIndex m_index;
    QList<Item> m_items;
    double m_fromMs = 0;
    double m_toMs = 1000;
    double m_firstRow = 0;
    double m_lastRow = 1;
    bool m_fitted = true;                   ///< following new rows: the window grows with them
    std::pair<int, int> m_selected{-1, -1}; ///< the clicked row's item and record
    QPoint m_pressAt;
    QPoint m_lastDrag;
    bool m_dragged = false;
    int m_lastPaintRects = 0;
    QTimer m_repaint; ///< new rows repaint at most 4 times a second
};

} // namespace vigil::widgets
