// SPDX-License-Identifier: Apache-2.0
#include "attemptstable.h"
#include "waterfallpanel.h"
#include "waterfallview.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

using namespace vigil;
using widgets::WaterfallIndex;
using widgets::WaterfallView;

namespace {
/// An item that waited @p queuedMs in its host's line, then took @p wireMs on a new connection.
fetch::ItemResult item(int i, double startMs, float queuedMs, float wireMs, int attempts = 1) {
    fetch::ItemResult r;
    r.item = QString::number(i);
    r.timelineZeroMs = 1764633600000;
    for (int a = 1; a <= attempts; ++a) {
        fetch::AttemptPhases p;
        p.attempt = a;
        p.startMs = startMs + (a - 1) * double(queuedMs + wireMs);
        p.queuedMs = a == 1 ? queuedMs : 0;
        p.backoffMs = a == 1 ? 0 : queuedMs;
        p.exchange.measured = true;
        p.exchange.connectMs = wireMs / 10;
        p.exchange.waitMs = wireMs * 0.8f;
        p.exchange.receiveMs = wireMs / 10;
        p.status = a == attempts ? 200 : 503;
        r.timeline.append(p);
    }
    return r;
}
} // namespace

class TestWaterfall : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // 100,000 requests: a paint fills about a rectangle per pixel row, not one per request, and
    // the bars take the colour of what dominates them.
    void aHundredThousandRequestsPaintInViewportTime() {
        WaterfallView view;
        view.resize(800, 600);
        for (int i = 0; i < 100000; ++i)
            view.add(item(i, i * 0.5, 100, 10));
        view.fit();
        QCOMPARE(view.rows(), 100000);
        const QImage shot = view.grab().toImage();
        QVERIFY2(view.lastPaintRects() > 100 && view.lastPaintRects() <= 2 * 600,
                 qPrintable(QString::number(view.lastPaintRects())));
        // Halfway down, just after the bars start: queued time dominates every request there.
        const int y = 36 + (600 - 36) / 2;
        const double msPerPixel = (100000 * 0.5 + 110) * 1.02 / 800;
        const int x = int((50000 * 0.5 + 20) / msPerPixel);
        QCOMPARE(shot.pixelColor(x, y), WaterfallView::colour(WaterfallIndex::Queued));
        // Zoomed in on 20 rows, each is drawn phase by phase.
        view.setWindow(24990, 25200, 50000, 50020);
        (void)view.grab();
        QVERIFY2(view.lastPaintRects() >= 20 * 4 && view.lastPaintRects() <= 20 * 6,
                 qPrintable(QString::number(view.lastPaintRects())));
    }

    void aClickShowsTheRowsAttempts() {
        widgets::WaterfallPanel panel;
        panel.resize(900, 700);
        panel.add(item(0, 0, 5, 40));
        panel.add(item(1, 10, 20, 40, 2)); // a 503, then a retry after a backoff
        panel.add(item(2, 20, 5, 40));
        WaterfallView *view = panel.view();
        view->fit();
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy clicked(view, &WaterfallView::itemClicked);
        // Rows are in start order: item 0, item 1's first attempt, item 2, item 1's retry.
        const int rowHeight = (view->height() - 36) / view->rows();
        QTest::mouseClick(view, Qt::LeftButton, {}, QPoint(5, 36 + rowHeight * 3 + rowHeight / 2));
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked.first().at(0).toInt(), 1);
        QCOMPARE(clicked.first().at(1).toInt(), 1); // its second record
        widgets::AttemptsTable *table = panel.attempts();
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->item(0, 1)->text(), QStringLiteral("503"));
        QCOMPARE(table->item(1, 4)->text(), QStringLiteral("20.0")); // its backoff
        QCOMPARE(table->currentRow(), 1);
        QCOMPARE(panel.caption()->text(), QStringLiteral("1"));
    }

    void theWheelZoomsTimeAndShiftWheelRows() {
        WaterfallView view;
        view.resize(400, 436); // 400 px of rows
        for (int i = 0; i < 400; ++i)
            view.add(item(i, i, 0, 100));
        view.fit();
        QCOMPARE(view.rowAt(36 + 200), 200);
        const auto wheel = [&view](Qt::KeyboardModifiers modifiers) {
            QWheelEvent event(QPointF(0, 36), view.mapToGlobal(QPointF(0, 36)), QPoint(),
                              QPoint(0, 120 * 3), Qt::NoButton, modifiers, Qt::NoScrollPhase,
                              false);
            QCoreApplication::sendEvent(&view, &event);
        };
        wheel(Qt::NoModifier);
        QCOMPARE(view.rowAt(36 + 200), 200); // time only
        wheel(Qt::ShiftModifier);
        QCOMPARE(view.rowAt(36 + 200), int(200 * 0.512)); // 0.8³ of the rows, from the top
        QTest::mouseDClick(&view, Qt::LeftButton, {}, QPoint(10, 100));
        QCOMPARE(view.rowAt(36 + 200), 200);
    }
};

QTEST_MAIN(TestWaterfall)
#include "tst_waterfall.moc"
