// SPDX-License-Identifier: Apache-2.0
#include "chartpanel.h"
#include "timeaxisitem.h"

#include <QApplication>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsWidget>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace vigil;
using widgets::ChartPanel;

namespace {
QList<QPointF> ramp(qint64 from, qint64 to) {
    QList<QPointF> points;
    for (qint64 t = from; t <= to; t += 500)
        points << QPointF(double(t), double((t / 500) % 7));
    return points;
}

/// Counts the layout requests a chart gets: each one re-lays out every axis label of the chart.
class LayoutRequests : public QObject {
public:
    int count = 0;
    bool eventFilter(QObject *, QEvent *event) override {
        count += event->type() == QEvent::LayoutRequest;
        return false;
    }
};

/// A panel with one series, shown, its layout settled on the window [from, from + 60 s].
void settle(ChartPanel &panel, qint64 from) {
    panel.resize(700, 320);
    panel.show();
    panel.setSeries({{QStringLiteral("s"), QStringLiteral("S"), {}, QColor(0, 0, 255), {}}});
    panel.setData(0, ramp(from, from + 60000), from, from + 60000);
    QApplication::processEvents();
    panel.setData(0, ramp(from, from + 60000), from, from + 60000);
    QApplication::processEvents();
}
} // namespace

class TestTimeAxis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    /// Labels name round moments and sit where the chart draws those moments.
    void labelsSitOnTheirMoments() {
        ChartPanel panel;
        const qint64 from = 1764547201234;
        settle(panel, from);
        const auto &axis = panel.timeAxis();
        QVERIFY(axis.times().size() >= 3);
        const qint64 step = axis.times()[1] - axis.times()[0];
        QCOMPARE(step % 1000, 0);
        for (qsizetype i = 0; i < axis.times().size(); ++i) {
            const qint64 t = axis.times()[i];
            QVERIFY(t >= from && t <= from + 60000);
            const QPointF p = panel.positionOf(double(t));
            QVERIFY2(std::abs(p.x() - axis.xs()[i]) <= 1.5,
                     qPrintable(QStringLiteral("%1 at %2, the chart maps it to %3")
                                    .arg(widgets::TimeAxisItem::labelFor(t))
                                    .arg(axis.xs()[i])
                                    .arg(p.x())));
        }
        QCOMPARE(
            widgets::TimeAxisItem::labelFor(axis.times()[0]),
            QDateTime::fromMSecsSinceEpoch(axis.times()[0]).toString(QStringLiteral("HH:mm:ss")));
    }

    /// The labels are painted under the plot, centred on their moments, in what an export
    /// renders as well as on screen.
    void labelsArePaintedUnderThePlot() {
        ChartPanel panel;
        settle(panel, 1764547201234);
        const auto &axis = panel.timeAxis();
        QVERIFY(!axis.xs().isEmpty());
        const QImage image = panel.grab().toImage().convertToFormat(QImage::Format_RGB32);
        const QRectF plot = panel.chart()->mapRectToScene(panel.chart()->plotArea());
        const int bottom = panel.mapFromScene(plot.bottomLeft()).y();
        const int dx = panel.mapFromScene(panel.chart()->mapToScene(QPointF(0, 0))).x();
        for (const int x : axis.xs()) {
            if (x <= plot.left() + 20 || x >= plot.right() - 20)
                continue; // a label at an edge may be clipped by the chart's margin
            int dark = 0;
            for (int y = bottom + 2; y < bottom + axis.labelsHeight() + 2; ++y)
                for (int i = x + dx - 20; i <= x + dx + 20; ++i)
                    dark += qGray(image.pixel(i, y)) < 128;
            QVERIFY2(dark >= 20,
                     qPrintable(QStringLiteral("label at %1: %2 dark pixels").arg(x).arg(dark)));
        }
    }

    /// Scrolling by a few pixels keeps each label's text and moves it left with the data: no label
    /// changes in place (shimmer).
    void labelsScrollWithTheData() {
        ChartPanel panel;
        const qint64 from = 1764547201234;
        settle(panel, from);
        const auto times = panel.timeAxis().times();
        const auto xs = panel.timeAxis().xs();
        const double msPerPx = 60000.0 / panel.plotWidth();
        const qint64 shift = qint64(msPerPx * 5);
        panel.setData(0, ramp(from + shift, from + 60000 + shift), from + shift,
                      from + 60000 + shift);
        const auto &after = panel.timeAxis();
        int kept = 0;
        for (qsizetype i = 0; i < times.size(); ++i) {
            const qsizetype j = after.times().indexOf(times[i]);
            if (j < 0)
                continue;
            ++kept;
            QVERIFY2(
                std::abs(xs[i] - after.xs()[j] - 5) <= 1,
                qPrintable(QStringLiteral("moved from %1 to %2").arg(xs[i]).arg(after.xs()[j])));
        }
        QVERIFY(kept >= times.size() - 1);
    }

    /// A frame that only moves the window (same values, same alarm level) lays nothing out again:
    /// re-laying out a chart costs more than drawing it.
    void scrollingDoesNotReLayOutTheChart() {
        ChartPanel panel;
        const qint64 from = 1764547201234;
        settle(panel, from);
        LayoutRequests requests;
        panel.chart()->installEventFilter(&requests);
        for (int i = 1; i <= 20; ++i) {
            const qint64 f = from + i * 100;
            panel.setData(0, ramp(from, from + 60000), f, f + 60000);
            panel.setLevel(sensors::AlarmLevel::Normal);
            QApplication::processEvents();
        }
        QCOMPARE(requests.count, 0);
        // A change that needs it still gets one.
        panel.setLevel(sensors::AlarmLevel::Alarm);
        QApplication::processEvents();
        QVERIFY(requests.count >= 1);
    }

    /// The hidden X axis that maps time for bands, gap marks and the cursor counts from the
    /// frame's start, so scrolling leaves its range alone (a range change re-lays out the chart,
    /// about a tenth of a frame), and a gap's mark still sits on its moment.
    void scrollingLeavesTheHiddenAxisRangeAlone() {
        ChartPanel panel;
        const qint64 from = 1764547201234;
        settle(panel, from);
        auto *axis = qobject_cast<QDateTimeAxis *>(panel.chart()->axes(Qt::Horizontal).first());
        QVERIFY(axis);
        QSignalSpy ranges(axis, &QDateTimeAxis::rangeChanged);
        QList<QPointF> withGap;
        qint64 f = from;
        for (int i = 1; i <= 20; ++i) {
            f = from + i * 100;
            withGap = ramp(f, f + 60000);
            withGap[40].setY(qQNaN()); // a failed read, marked in red
            panel.setData(0, withGap, f, f + 60000);
            QApplication::processEvents();
        }
        QCOMPARE(ranges.count(), 0);
        QScatterSeries *gaps = nullptr;
        for (auto *series : panel.chart()->series())
            gaps = gaps ? gaps : qobject_cast<QScatterSeries *>(series);
        QVERIFY(gaps && gaps->count() == 1);
        const double markX = panel.chart()->mapToPosition(gaps->at(0), gaps).x();
        const double expected = panel.positionOf(withGap[40].x()).x();
        QVERIFY2(
            std::abs(markX - expected) <= 0.5,
            qPrintable(QStringLiteral("mark at %1, its moment at %2").arg(markX).arg(expected)));
        QVERIFY(panel.chart()->plotArea().left() < markX &&
                markX < panel.chart()->plotArea().right());
        // A window of another length changes it, once.
        panel.setData(0, ramp(f, f + 120000), f, f + 120000);
        QCOMPARE(ranges.count(), 1);
    }
};

QTEST_MAIN(TestTimeAxis)
#include "tst_timeaxis.moc"
