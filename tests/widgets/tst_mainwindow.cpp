#include "asynctest.h"

#include "livechart.h"
#include "loophealthwidget.h"
#include "mainwindow.h"

#include "async/looplagprobe.h"

#include <QApplication>
#include <QFile>
#include <QLineSeries>
#include <QStatusBar>
#include <QTest>

using namespace std::chrono_literals;
using vigil::widgets::LiveChart;
using vigil::widgets::LoopHealthWidget;
using vigil::widgets::MainWindow;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chartShowsAGrowingLiveSeries()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTRY_VERIFY_WITH_TIMEOUT(w.liveChart()->drawnPointCount() >= 3, 5000);
        const auto first = w.liveChart()->drawnPointCount();
        QTRY_VERIFY_WITH_TIMEOUT(w.liveChart()->drawnPointCount() > first + 2, 5000);
    }

    void windowHasTitleAndIcon()
    {
        MainWindow w;
        QCOMPARE(w.windowTitle(), QStringLiteral("Vigil"));
        QVERIFY(QFile::exists(QStringLiteral(":/vigil/vigil.svg")));
        QVERIFY(!w.windowIcon().isNull());
    }

    void statusBarShowsLiveLoopLag()
    {
        MainWindow w;
        w.show();
        QVERIFY(w.statusBar()->isAncestorOf(w.loopHealth()));
        QTRY_VERIFY_WITH_TIMEOUT(w.lagProbe()->stats().count() >= 5, 5000);
        w.loopHealth()->refresh();
        QVERIFY2(w.loopHealth()->text().contains(QStringLiteral("p50")),
                 qPrintable(w.loopHealth()->text()));
        QVERIFY(w.loopHealth()->text().contains(QStringLiteral("p99")));
    }

    void blockingTheLoopTurnsTheMeterRed()
    {
        MainWindow w;
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.lagProbe()->stats().count() >= 5, 5000);
        QThread::msleep(200); // block the GUI thread on purpose
        vigil::test::spin(50ms);
        w.loopHealth()->refresh();
        QCOMPARE(w.loopHealth()->health(), LoopHealthWidget::Health::Blocked);
    }

    void healthThresholds_data()
    {
        QTest::addColumn<double>("p99");
        QTest::addColumn<int>("health");
        QTest::newRow("idle loop") << 0.4 << int(LoopHealthWidget::Health::Good);
        QTest::newRow("one frame late") << 20.0 << int(LoopHealthWidget::Health::Strained);
        QTest::newRow("visible stall") << 120.0 << int(LoopHealthWidget::Health::Blocked);
    }

    void healthThresholds()
    {
        QFETCH(double, p99);
        QFETCH(int, health);
        QCOMPARE(int(LoopHealthWidget::classify(p99)), health);
    }

    void redrawsAreCoalescedIntoUiTicks()
    {
        LiveChart chart(QStringLiteral("t"), QStringLiteral("u"), 60s);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < 5000; ++i)
            chart.addSample(now.addMSecs(i), double(i % 17));
        QCOMPARE(chart.redrawCount(), 0); // adding data never redraws by itself
        QTRY_COMPARE_WITH_TIMEOUT(chart.redrawCount(), 1, 2000);
        QCOMPARE(chart.drawnPointCount(), qsizetype(5000));
        vigil::test::spin(100ms);
        QCOMPARE(chart.redrawCount(), 1); // nothing new, no redraw
    }

    void windowDropsSamplesOlderThanItsSpan()
    {
        LiveChart chart(QStringLiteral("t"), QStringLiteral("u"), 10s);
        const QDateTime start = QDateTime::currentDateTimeUtc();
        for (int i = 0; i <= 30; ++i)
            chart.addSample(start.addSecs(i), i);
        QTRY_VERIFY_WITH_TIMEOUT(chart.redrawCount() >= 1, 2000);
        QCOMPARE(chart.drawnPointCount(), qsizetype(11)); // seconds 20..30
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
