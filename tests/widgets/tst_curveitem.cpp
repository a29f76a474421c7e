// SPDX-License-Identifier: Apache-2.0
#include "chartpanel.h"
#include "curveitem.h"

#include "sensors/decimation.h"
#include "sensors/history.h"

#include <QApplication>
#include <QChart>
#include <QTest>
#include <QValueAxis>

#include <cmath>

using namespace vigil;
using widgets::ChartPanel;
using widgets::CurveGeometry;
using widgets::layoutCurve;

namespace {
/// 10,000 samples over 100 s: a slow wave, and one sample of 100 in the middle.
QList<QPointF> spikedSeries(qint64 from, int columns) {
    sensors::History h(std::chrono::hours(1));
    for (qint64 i = 0; i < 10000; ++i)
        h.append(from + i * 10, i == 5003 ? 100.0 : std::sin(double(i) / 700.0) * 5);
    return sensors::decimate(h.snapshot(from, from + 100000), from, from + 100000, columns);
}

bool inside(const QRect &span, int x, int y) {
    return span.left() <= x && x <= span.right() && span.top() <= y && y <= span.bottom();
}
} // namespace

class TestCurveItem : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aSpikeOfOneSampleIn10000IsADrawnSpan() {
        const CurveGeometry g{QRectF(0, 0, 500, 200), 0, 100000, -10, 100, 500};
        const auto shapes = layoutCurve(g, spikedSeries(0, 500));
        // Dense data: one crisp span per column, nothing else.
        QVERIFY(shapes.spans.size() >= 499);
        QVERIFY(shapes.links.empty());
        const int spikeX = 250; // sample 5003 of 10,000, at 50.03 s of 100 s over 500 px
        bool reached = false;
        for (const auto &s : shapes.spans) {
            QCOMPARE(s.width(), 1);
            reached |= s.left() == spikeX && s.top() <= 0 && inside(s, spikeX, 150);
        }
        QVERIFY2(reached, "no span from the curve up to the spike at the plot's top");
    }

    void gapsBreakTheCurveAndLoneReadingsAreDots() {
        // 1,000 ms over 100 px: a point every 10 px, so neighbours are joined by links.
        const CurveGeometry g{QRectF(0, 0, 100, 100), 0, 1000, 0, 10, 100};
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const QList<QPointF> points{{0, 5},   {100, 6},   {200, nan}, {300, 5},
                                    {400, 4}, {500, nan}, {600, 7},   {700, nan}};
        const auto shapes = layoutCurve(g, points);
        QCOMPARE(shapes.links.size(), std::size_t(2)); // 0→10 px and 30→40 px
        for (const auto &l : shapes.links)
            QVERIFY2(!(l.x1() < 20 && l.x2() > 20) && !(l.x1() < 50 && l.x2() > 50),
                     "a link crosses a failed reading");
        QCOMPARE(shapes.dots.size(), std::size_t(1)); // the reading at 600 ms
        QVERIFY(std::abs(shapes.dots.front().center().x() - 60.5) < 0.01);
    }

    void valuesOffTheAxisAreCutAtThePlot() {
        // A percent axis stops at 0 while a reading is below it: nothing is drawn under the plot.
        const CurveGeometry g{QRectF(10, 20, 100, 100), 0, 1000, 0, 10, 100};
        QList<QPointF> points;
        for (int i = 0; i < 1000; i += 5)
            points << QPointF(i, i % 2 == 0 ? -5.0 : 15.0);
        const auto shapes = layoutCurve(g, points);
        QVERIFY(!shapes.spans.empty());
        for (const auto &s : shapes.spans)
            QVERIFY2(s.top() >= 20 && s.bottom() <= 119,
                     qPrintable(QStringLiteral("%1..%2").arg(s.top()).arg(s.bottom())));
        QCOMPARE(shapes.clip, g.plot);
    }

    void scrollingMovesTheCurveByWholePixels() {
        // The same samples, the window moved by a third of a column: every span is the same
        // shape, at most one pixel over.
        const auto a =
            layoutCurve({QRectF(0, 0, 500, 200), 0, 100000, -10, 100, 500}, spikedSeries(0, 500));
        sensors::History h(std::chrono::hours(1));
        for (qint64 i = 0; i < 10000; ++i)
            h.append(i * 10, i == 5003 ? 100.0 : std::sin(double(i) / 700.0) * 5);
        const qint64 shift = 67;
        const auto points =
            sensors::decimate(h.snapshot(shift, 100000 + shift), shift, 100000 + shift, 500);
        const auto b =
            layoutCurve({QRectF(0, 0, 500, 200), shift, 100000 + shift, -10, 100, 500}, points);
        QMap<int, QRect> byX;
        for (const auto &s : a.spans)
            byX.insert(s.left(), s);
        int same = 0;
        for (const auto &s : b.spans) {
            const auto it = byX.find(s.left());
            same += it != byX.end() && it->top() == s.top() && it->bottom() == s.bottom();
        }
        QVERIFY2(same >= 490, qPrintable(QString::number(same)));
    }

    /// Qt Charts' plot area is rarely a whole number of pixels wide; decimated to its whole
    /// pixels, dense data must still fill every column, with no blurred link over a skipped one.
    void aFractionalPlotWidthSkipsNoColumn() {
        const CurveGeometry g{QRectF(40.3, 0, 500.6, 200), 0, 100000, -10, 100, 500};
        const auto shapes = layoutCurve(g, spikedSeries(0, 500));
        QVERIFY2(shapes.links.empty(), qPrintable(QString::number(shapes.links.size())));
        QVERIFY(shapes.spans.size() >= 499);
        for (std::size_t i = 1; i < shapes.spans.size(); ++i)
            QCOMPARE(shapes.spans[i].left() - shapes.spans[i - 1].left(), 1);
    }

    void theChartDrawsItCrispWithTheSpike() {
        ChartPanel panel;
        panel.resize(700, 320);
        panel.show();
        const QColor blue(0, 0, 255);
        panel.setSeries({{QStringLiteral("s"), QStringLiteral("S"), {}, blue, {}}});
        panel.setData(0, spikedSeries(0, panel.plotWidth()), 0, 100000);
        QApplication::processEvents(); // the layout settles to the axes' labels
        const auto points = spikedSeries(0, panel.plotWidth());
        panel.setData(0, points, 0, 100000);
        const QImage image = panel.grab().toImage().convertToFormat(QImage::Format_RGB32);
        const QRectF plotInScene = panel.chart()->mapRectToScene(panel.chart()->plotArea());
        const QRect full = panel.mapFromScene(plotInScene).boundingRect();
        const QRect plot = full.adjusted(3, 3, -3, -3);
        const auto *axis = panel.axisFor(0);
        const double spikeY =
            full.top() + (axis->max() - 100.0) / (axis->max() - axis->min()) * full.height();
        int exact = 0, halfTone = 0, top = image.height();
        // Rows from the plot's very top (where the spike ends); columns clear of the blue axis.
        for (int y = full.top(); y <= plot.bottom(); ++y) {
            for (int x = plot.left(); x <= plot.right(); ++x) {
                const QColor c = image.pixelColor(x, y);
                if (c == blue) {
                    ++exact;
                    top = std::min(top, y);
                } else if (y >= plot.top() && c.blue() - c.red() > 24) {
                    ++halfTone; // the series' colour blended into the background
                }
            }
        }
        QVERIFY2(exact > plot.width(), qPrintable(QString::number(exact)));
        QVERIFY2(halfTone == 0, qPrintable(QStringLiteral("%1 blurred pixels").arg(halfTone)));
        QVERIFY2(std::abs(top - spikeY) <= 2,
                 qPrintable(QStringLiteral("top %1, spike at %2").arg(top).arg(spikeY)));
        QCOMPARE(panel.drawnPoints(0), points.size());
    }
};

QTEST_MAIN(TestCurveItem)
#include "tst_curveitem.moc"
