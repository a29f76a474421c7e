// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"
#include "shutdown.h"

#include "chartgridview.h"
#include "chartpanel.h"
#include "dashboardrenderer.h"
#include "dashboardview.h"
#include "mainwindow.h"
#include "twoaxischart.h"

#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"
#include "sensors/sensorhub.h"

#include <QCategoryAxis>
#include <QDateTime>
#include <QGraphicsTextItem>
#include <QHeaderView>
#include <QListWidget>
#include <QScrollBar>
#include <QSet>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace vigil;
using widgets::ChartPanel;
using widgets::MainWindow;

namespace {
// The labels an axis prints: a category axis's own, or what Qt computes for a value axis
// (evenly spaced ticks through its label format).
QStringList axisLabels(QValueAxis *axis) {
    if (auto *categories = qobject_cast<QCategoryAxis *>(axis))
        return categories->categoriesLabels();
    QStringList labels;
    const int n = axis->tickCount();
    for (int i = 0; i < n; ++i) {
        const double v = axis->min() + i * (axis->max() - axis->min()) / (n - 1);
        labels << QString::asprintf(axis->labelFormat().toLatin1().constData(), v);
    }
    return labels;
}

bool distinct(const QStringList &labels) {
    return QSet<QString>(labels.begin(), labels.end()).size() == labels.size();
}

QList<QPointF> flat(qint64 from, qint64 to, double v) {
    QList<QPointF> points;
    for (qint64 t = from; t <= to; t += 1000)
        points << QPointF(double(t), v);
    return points;
}

dashboard::DashboardConfig simulated(int count) {
    dashboard::DashboardConfig config;
    for (int i = 0; i < count; ++i) {
        dashboard::SensorConfig s;
        s.type = QStringLiteral("simulated");
        s.name = QStringLiteral("Probe_%1").arg(i);
        s.unit = i % 2 ? QStringLiteral("%") : QStringLiteral("bar");
        s.setpoint = i % 2 ? 50 : 0.6;
        s.sigma = i % 2 ? 20 : 0;
        s.latencyMs = s.latencyMaxMs = 20;
        s.intervalMs = 200;
        config.sensors << s;
    }
    config.sensors[0].thresholds.highWarn = 0.5; // "warning" from its first reading
    return config;
}
} // namespace

/// The dashboard's charts stay readable: ticks, grid, labels.
class TestDashboardCharts : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("VigilTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_dashboardcharts"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                           m_dir.filePath(QStringLiteral("config")));
    }

    void init() { QSettings().clear(); }

    void flatAndEmptySeriesGetDistinctTicks_data() {
        QTest::addColumn<double>("value"); // NaN: no data at all
        QTest::addColumn<QString>("unit");
        QTest::newRow("flat 0.6") << 0.6 << QStringLiteral("bar");
        QTest::newRow("flat zero") << 0.0 << QStringLiteral("bar");
        QTest::newRow("empty") << qQNaN() << QStringLiteral("bar");
        QTest::newRow("flat 100 %") << 100.0 << QStringLiteral("%");
    }

    void flatAndEmptySeriesGetDistinctTicks() {
        QFETCH(double, value);
        QFETCH(QString, unit);
        ChartPanel panel;
        panel.resize(400, 300);
        panel.setSeries({{QStringLiteral("p"), QStringLiteral("P"), unit, Qt::blue, {}}});
        const qint64 to = QDateTime::currentMSecsSinceEpoch(), from = to - 60000;
        panel.setData(0, std::isnan(value) ? QList<QPointF>() : flat(from, to, value), from, to);
        const QStringList labels = axisLabels(panel.axisFor(0));
        QVERIFY2(labels.size() >= 3 && distinct(labels), qPrintable(labels.join(u' ')));
        QVERIFY2(!labels.contains(QStringLiteral("-0.0")), qPrintable(labels.join(u' ')));
        if (unit == QLatin1String("%"))
            QVERIFY(panel.axisFor(0)->max() <= 100);
    }

    void percentAxisStaysWithin0To100() {
        ChartPanel panel;
        panel.resize(400, 300);
        panel.setSeries(
            {{QStringLiteral("c"), QStringLiteral("CPU"), QStringLiteral("%"), Qt::blue, {}}});
        const qint64 to = QDateTime::currentMSecsSinceEpoch(), from = to - 2000;
        panel.setData(0, {QPointF(double(from), 0.4), QPointF(double(to), 99.6)}, from, to);
        QCOMPARE(panel.axisFor(0)->min(), 0.0);
        QCOMPARE(panel.axisFor(0)->max(), 100.0);
    }

    void throughputSecondsAreWholeNumbers() {
        widgets::TwoAxisChart chart(QStringLiteral("t"), QStringLiteral("a"), QStringLiteral("b"));
        // Empty, before any run: Qt's own 0..1 axis read "0 0 1 1 1".
        QCOMPARE(axisLabels(chart.axisX()).join(u' '), QStringLiteral("0 1 2 3 4 5"));
        chart.addSeries(QStringLiteral("s"), Qt::AlignLeft);
        chart.append(1.3, {4});
        QCOMPARE(axisLabels(chart.axisX()).join(u' '), QStringLiteral("0 1 2 3 4 5"));
        chart.append(37, {4});
        QCOMPARE(axisLabels(chart.axisX()).join(u' '), QStringLiteral("0 10 20 30 40"));
    }

    /// A marked span (the demo's stall) is shaded where its times fall, with its label, and
    /// leaves when the window scrolls past it.
    void timeSpanIsShadedWhereItsTimesFall() {
        ChartPanel panel;
        panel.resize(640, 300);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setSeries(
            {{QStringLiteral("p"), QStringLiteral("P"), QStringLiteral("bar"), Qt::blue, {}}});
        const qint64 from = QDateTime::currentMSecsSinceEpoch(), to = from + 60000;
        panel.setData(0, flat(from, to, 1), from, to);
        const QString label = QStringLiteral("GUI thread blocked 1500 ms");
        panel.setTimeSpans({{from + 30000, from + 45000, label, Qt::red}});
        const auto bands = panel.timeSpanMarks().shownBands();
        QCOMPARE(bands.size(), 1);
        const QRectF plot = panel.chart()->mapRectToScene(panel.chart()->plotArea());
        QVERIFY2(std::abs(bands[0].left() - (plot.left() + plot.width() / 2)) < 2,
                 qPrintable(QStringLiteral("%1 in %2..%3")
                                .arg(bands[0].left())
                                .arg(plot.left())
                                .arg(plot.right())));
        QVERIFY(std::abs(bands[0].width() - plot.width() / 4) < 2);
        QCOMPARE(bands[0].height(), plot.height());
        QCOMPARE(panel.timeSpanMarks().shownLabels(), QStringList{label});
        // A stall has just happened: its band is at the right edge, and its label still shows.
        panel.setTimeSpans({{to - 2000, to - 500, label, Qt::red}});
        QCOMPARE(panel.timeSpanMarks().shownLabels(), QStringList{label});
        panel.setTimeSpans({{from + 30000, from + 45000, label, Qt::red}});
        panel.setData(0, flat(from + 50000, to + 50000, 1), from + 50000, to + 50000);
        QVERIFY(panel.timeSpanMarks().shownBands().isEmpty());
        QVERIFY(panel.timeSpanMarks().shownLabels().isEmpty());
    }

    /// The dashboard marks a span on every chart, and on charts it makes afterwards.
    void dashboardMarksATimeSpanOnEveryChart() {
        MainWindow w;
        test::ShutDownAtExit closing(w);
        auto apply = w.session().apply(simulated(3));
        QVERIFY(test::drive(std::move(apply)).isOk());
        w.show();
        auto *view = w.dashboard();
        QTRY_COMPARE_WITH_TIMEOUT(view->panels().size(), 3, 5000);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        view->markTimeSpan({now - 5000, now - 3000, QStringLiteral("stall"), Qt::red});
        for (auto *panel : view->panels())
            QTRY_COMPARE_WITH_TIMEOUT(panel->timeSpanMarks().shownBands().size(), 1, 3000);
        view->setSensorVisible(QStringLiteral("sim:Probe_1"), false); // the charts are made anew
        QTRY_COMPARE_WITH_TIMEOUT(view->panels().size(), 2, 2000);
        for (auto *panel : view->panels())
            QTRY_COMPARE_WITH_TIMEOUT(panel->timeSpanMarks().shownBands().size(), 1, 3000);
    }

    /// The cursor: a crosshair, a marker per series, a readout on its own background, and the
    /// same time in every chart of the grid.
    void cursorIsLinkedAcrossChartsWithCrosshairAndMarkers() {
        widgets::ChartGridView grid;
        auto *a = new ChartPanel;
        auto *b = new ChartPanel;
        a->setSeries(
            {{QStringLiteral("t"), QStringLiteral("T"), QStringLiteral("°C"), Qt::red, {}},
             {QStringLiteral("p"), QStringLiteral("P"), QStringLiteral("bar"), Qt::blue, {}}});
        b->setSeries(
            {{QStringLiteral("f"), QStringLiteral("F"), QStringLiteral("%"), Qt::green, {}}});
        grid.setPanels({a, b});
        grid.resize(1000, 400);
        grid.show();
        QVERIFY(QTest::qWaitForWindowExposed(&grid));
        const qint64 to = QDateTime::currentMSecsSinceEpoch(), from = to - 60000;
        a->setData(0, flat(from, to, 20), from, to);
        a->setData(1, flat(from, to, 1.5), from, to);
        b->setData(0, flat(from, to, 40), from, to);
        const QRectF area = a->chart()->plotArea();
        const QPoint inside = a->mapFromScene(a->chart()->mapToScene(
            area.topLeft() + QPointF(area.width() * 0.25, area.height() / 2)));
        a->showCursorAt(inside);
        QVERIFY(a->crosshairShown());
        QCOMPARE(a->markersShown(), 2);
        QVERIFY(!a->readoutBackground().isEmpty());
        QVERIFY(a->readoutBackground().contains(a->readoutText()));
        // Beside the crosshair, not over it: the mouse is a quarter into a wide plot.
        const double mouseX = a->mapToScene(inside).x();
        QVERIFY2(a->readoutBackground().left() > mouseX || a->readoutBackground().right() < mouseX,
                 qPrintable(QStringLiteral("%1").arg(mouseX)));
        // Linked: the other chart shows the same time, with its own marker.
        QVERIFY(b->crosshairShown());
        QCOMPARE(b->markersShown(), 1);
        QCOMPARE(b->cursorText().section(u'\n', 0, 0), a->cursorText().section(u'\n', 0, 0));
        QVERIFY2(b->cursorText().contains(QStringLiteral("F: 40.00 %")),
                 qPrintable(b->cursorText()));
        QEvent leave(QEvent::Leave);
        QCoreApplication::sendEvent(a, &leave);
        QVERIFY(!a->crosshairShown());
        QVERIFY(!b->crosshairShown());
        QVERIFY(b->cursorText().isEmpty());
    }

    /// Merge takes the selection: with the grid two wide, chart 3 sits below chart 1, and
    /// selecting both merges them there (not into chart 2, its left neighbour). Remove can be
    /// undone with Ctrl+Z, back into its chart with its colour.
    void mergeTakesTheSelectionAndRemoveCanBeUndone() {
        MainWindow w;
        test::ShutDownAtExit closing(w);
        auto apply = w.session().apply(simulated(4));
        QVERIFY(test::drive(std::move(apply)).isOk());
        w.show();
        auto *view = w.dashboard();
        QTRY_COMPARE_WITH_TIMEOUT(view->panels().size(), 4, 5000);
        auto *list = view->sensorList();
        list->item(0)->setSelected(true);
        list->item(2)->setSelected(true);
        QToolButton *merge = nullptr;
        for (auto *b : view->findChildren<QToolButton *>())
            merge = b->text() == QLatin1String("Merge") ? b : merge;
        QVERIFY(merge);
        merge->click();
        QTRY_COMPARE_WITH_TIMEOUT(view->panels().size(), 3, 2000);
        const auto ids = [&](int panel) {
            QStringList out;
            for (const auto &s : view->panels()[panel]->series())
                out << s.id;
            return out;
        };
        QCOMPARE(ids(0),
                 (QStringList{QStringLiteral("sim:Probe_0"), QStringLiteral("sim:Probe_2")}));
        const QColor colour = view->panels()[0]->series()[1].color;

        view->removeSensor(QStringLiteral("sim:Probe_2"));
        QTRY_VERIFY_WITH_TIMEOUT(!w.session().hub().contains(QStringLiteral("sim:Probe_2")), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(view->panels()[0]->series().size(), 1, 2000);
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        list->setFocus();
        QTest::keyClick(list, Qt::Key_Z, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(w.session().hub().contains(QStringLiteral("sim:Probe_2")), 2000);
        QTRY_COMPARE_WITH_TIMEOUT(view->panels()[0]->series().size(), 2, 2000);
        QCOMPARE(ids(0),
                 (QStringList{QStringLiteral("sim:Probe_0"), QStringLiteral("sim:Probe_2")}));
        QCOMPARE(view->panels()[0]->series()[1].color, colour);
        QVERIFY(!view->undoRemove()); // nothing left to undo
    }

    /// An undo that cannot put the sensor back (the dashboard filled up again) keeps it to undo
    /// once there is room.
    void undoThatCannotReAddKeepsItsEntry() {
        MainWindow w;
        test::ShutDownAtExit closing(w);
        auto apply = w.session().apply(simulated(int(dashboard::kMaxSensors)));
        QVERIFY(test::drive(std::move(apply)).isOk());
        auto *view = w.dashboard();
        const QString removed = QStringLiteral("sim:Probe_0");
        view->removeSensor(removed);
        QTRY_VERIFY_WITH_TIMEOUT(!w.session().hub().contains(removed), 5000);
        dashboard::SensorConfig extra = simulated(1).sensors.first();
        extra.name = QStringLiteral("Extra");
        QVERIFY(w.session().addSensor(extra)); // the dashboard is full again
        QVERIFY(!view->undoRemove());
        QVERIFY(!w.session().hub().contains(removed));
        w.session().removeSensorInBackground(extra.id()); // room again, and no undo entry
        QTRY_VERIFY_WITH_TIMEOUT(!w.session().hub().contains(extra.id()), 5000);
        QVERIFY(view->undoRemove());
        QVERIFY(w.session().hub().contains(removed));
    }

    /// A Ctrl+click that deselects a series leaves it current: Remove must not take it.
    void removeTakesOnlyASelectedSeries() {
        MainWindow w;
        test::ShutDownAtExit closing(w);
        auto apply = w.session().apply(simulated(3));
        QVERIFY(test::drive(std::move(apply)).isOk());
        w.show();
        auto *view = w.dashboard();
        QTRY_COMPARE_WITH_TIMEOUT(view->panels().size(), 3, 5000);
        auto *list = view->sensorList();
        list->setCurrentRow(1);
        list->item(1)->setSelected(false); // as Ctrl+click on the current item does
        QVERIFY(view->selectedSensor().isEmpty());
        list->item(2)->setSelected(true);
        QCOMPARE(view->selectedSensor(), QStringLiteral("sim:Probe_2"));
    }

    /// Colours belong to sensors: hiding or removing one leaves the others' as they were.
    void coloursStayWhenASensorIsHiddenOrRemoved() {
        MainWindow w;
        test::ShutDownAtExit closing(w);
        auto apply = w.session().apply(simulated(4));
        QVERIFY(test::drive(std::move(apply)).isOk());
        auto *view = w.dashboard();
        QTRY_COMPARE_WITH_TIMEOUT(view->panels().size(), 4, 5000);
        QHash<QString, QColor> before;
        for (auto *panel : view->panels())
            before.insert(panel->series().first().id, panel->series().first().color);
        QSet<QString> names;
        for (const auto &c : before)
            names.insert(c.name());
        QCOMPARE(names.size(), 4);
        const auto same = [&] {
            for (auto *panel : view->panels()) {
                const auto &s = panel->series().first();
                if (s.color != before.value(s.id))
                    return false;
            }
            return true;
        };
        view->setSensorVisible(QStringLiteral("sim:Probe_0"), false);
        QTRY_COMPARE_WITH_TIMEOUT(view->panels().size(), 3, 2000);
        QVERIFY(same());
        auto removal = w.session().removeSensor(QStringLiteral("sim:Probe_1"));
        QVERIFY(test::drive(std::move(removal)).isOk());
        QTRY_COMPARE_WITH_TIMEOUT(view->panels().size(), 2, 2000);
        QVERIFY(same());
        // And they are saved with the dashboard.
        const auto saved = w.session().current();
        QCOMPARE(QColor::fromString(saved.sensors.last().color),
                 before.value(QStringLiteral("sim:Probe_3")));
    }

    void twelveChartsFitAt1600x1000() {
        MainWindow w;
        test::ShutDownAtExit closing(w);
        auto apply = w.session().apply(simulated(12));
        QVERIFY(test::drive(std::move(apply)).isOk());
        w.resize(1600, 1000);
        w.show();
        auto *view = w.dashboard();
        QTRY_COMPARE_WITH_TIMEOUT(view->panels().size(), 12, 5000);
        for (auto *panel : view->panels())
            QTRY_VERIFY_WITH_TIMEOUT(panel->drawnPoints(0) >= 2, 5000);
        QTest::qWait(100); // a frame or two more, with the final sizes
        auto *grid = view->chartGrid();
        QVERIFY(!grid->horizontalScrollBar()->isVisible());
        const QRect viewport = grid->viewport()->rect();
        for (auto *panel : view->panels()) {
            const QRect r(panel->mapTo(grid->viewport(), QPoint(0, 0)), panel->size());
            QVERIFY2(r.left() >= viewport.left() && r.right() <= viewport.right(),
                     qPrintable(QStringLiteral("chart at %1..%2, viewport %3..%4")
                                    .arg(r.left())
                                    .arg(r.right())
                                    .arg(viewport.left())
                                    .arg(viewport.right())));
            for (auto *item : panel->scene()->items()) {
                const auto *text = dynamic_cast<QGraphicsTextItem *>(item);
                if (!text || !text->isVisible())
                    continue;
                const QString s = text->toPlainText();
                QVERIFY2(!s.contains(QLatin1String("...")) && !s.contains(u'…'), qPrintable(s));
            }
        }
        // Every status cell shows its whole text ("warning", not "warni…").
        auto *table = view->statusTable();
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->index(0, 1).data().toString(),
                                  QStringLiteral("warning"), 5000);
        QTest::qWait(300); // the status table's next refresh
        const QFontMetrics metrics(table->font());
        for (int r = 0; r < table->model()->rowCount(); ++r) {
            for (int c = 0; c < table->model()->columnCount(); ++c) {
                const QModelIndex index = table->model()->index(r, c);
                const QString text = index.data().toString();
                QVERIFY2(metrics.horizontalAdvance(text) < table->columnWidth(c), qPrintable(text));
            }
        }
    }
};

QTEST_MAIN(TestDashboardCharts)
#include "tst_dashboardcharts.moc"
