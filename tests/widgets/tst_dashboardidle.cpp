// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "chartpanel.h"
#include "dashboardrenderer.h"
#include "dashboardview.h"
#include "loophealthwidget.h"

#include "async/clock.h"
#include "async/looplagprobe.h"
#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"
#include "sensors/sensorhub.h"

#include <QMainWindow>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace std::chrono_literals;
using namespace vigil;
using widgets::DashboardRenderer;
using widgets::DashboardView;

namespace {
/// One simulated sensor read every second, no latency: on the virtual clock a reading arrives
/// exactly when time is moved past its slot, and at no other moment.
dashboard::DashboardConfig oneSensor() {
    dashboard::DashboardConfig config;
    dashboard::SensorConfig s;
    s.type = QStringLiteral("simulated");
    s.name = QStringLiteral("Probe");
    s.unit = QStringLiteral("bar");
    s.latencyMs = s.latencyMaxMs = 0;
    s.intervalMs = 1000;
    config.sensors << s;
    return config;
}

/// @brief Counts one type of event that an object gets.
struct EventCounter : QObject {
    explicit EventCounter(QEvent::Type t)
        : type(t) {}
    bool eventFilter(QObject *, QEvent *event) override {
        count += event->type() == type;
        return false;
    }
    QEvent::Type type;
    int count = 0;
};

/// @brief A dashboard on the virtual clock in a tab of its own, next to an empty tab.
struct Rig {
    async::VirtualClock clock;
    dashboard::MonitoringSession session{clock};
    QTabWidget tabs;
    DashboardView *view = nullptr;
    bool settled = false; ///< no frame started in the last 100 ms

    Rig() {
        auto apply = session.apply(oneSensor());
        QVERIFY(test::drive(std::move(apply), &clock).isOk());
        view = new DashboardView(session);
        tabs.addTab(view, QStringLiteral("Dashboard"));
        tabs.addTab(new QWidget, QStringLiteral("Other"));
        tabs.resize(1200, 800);
        tabs.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tabs));
        // An hour on ~1,000 px: one pixel is several seconds, so a one-second step moves nothing.
        renderer().setWindow(1h);
        QTRY_VERIFY_WITH_TIMEOUT(renderer().framesRendered() >= 1, 5000);
        settled = settle();
    }
    ~Rig() {
        auto shutdown = session.shutdown();
        test::drive(std::move(shutdown), &clock);
    }
    DashboardRenderer &renderer() { return view->renderer(); }
    /// Lets the frame in flight land and the layout stop changing; false if frames never stop.
    bool settle() {
        for (int round = 0; round < 20; ++round) {
            const qint64 started = renderer().framesStarted();
            if (!QTest::qWaitFor([&] { return renderer().framesRendered() == started; }, 5000))
                return false;
            test::spin(100ms);
            if (renderer().framesStarted() == started)
                return true;
        }
        return false;
    }
    /// A new reading: time moves to the sensor's next slot.
    void nextReading() {
        const auto before = session.hub().history(session.hub().ids().first()).size();
        clock.advance(1s);
        QTRY_VERIFY_WITH_TIMEOUT(session.hub().history(session.hub().ids().first()).size() > before,
                                 5000);
    }
};
} // namespace

class TestDashboardIdle : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("VigilTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_dashboardidle"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                           m_dir.filePath(QStringLiteral("config")));
    }

    /// Nothing new and the axis still on the same pixel: ticks draw nothing.
    void idleTickDrawsNothing() {
        Rig rig;
        QVERIFY2(rig.settled, "frames go on with nothing new to draw");
        const qint64 started = rig.renderer().framesStarted();
        rig.clock.advance(100ms); // well under one pixel of an hour
        for (int i = 0; i < 5; ++i)
            QVERIFY(!rig.renderer().tick());
        test::spin(200ms); // the timer's own ticks too
        QCOMPARE(rig.renderer().framesStarted(), started);
    }

    /// A new reading draws one frame.
    void newDataDraws() {
        Rig rig;
        QVERIFY2(rig.settled, "frames go on with nothing new to draw");
        const qint64 started = rig.renderer().framesStarted();
        const qint64 steps = rig.renderer().dataSteps();
        rig.nextReading();
        QTRY_COMPARE_WITH_TIMEOUT(rig.renderer().framesStarted(), started + 1, 2000);
        QVERIFY(rig.settle());
        QCOMPARE(rig.renderer().framesStarted(), started + 1);
        // One batch of readings is one data step, however many ticks saw it pending.
        QCOMPARE(rig.renderer().dataSteps(), steps + 1);
    }

    /// A frame asked for while the renderer rests after the last one starts when the rest ends,
    /// not at the next tick (here 10 s away).
    void frameAskedForDuringTheRestStartsWhenItEnds() {
        Rig rig;
        rig.renderer().setTickInterval(10s);
        // Straight after a frame its rest (half its time) has only begun; if the thread was
        // held up past it, the frame starts at once and the next one tries again.
        int attempts = 0;
        qint64 startedWhenAsked = -1;
        QObject::connect(&rig.renderer(), &DashboardRenderer::frameRendered, &rig.tabs, [&] {
            if (startedWhenAsked >= 0 || ++attempts > 5)
                return;
            rig.renderer().requestFrame();
            if (!rig.renderer().tick())
                startedWhenAsked = rig.renderer().framesStarted();
        });
        rig.renderer().requestFrame();
        QVERIFY(rig.renderer().tick());
        QTRY_VERIFY_WITH_TIMEOUT(startedWhenAsked >= 0 || attempts > 5, 5000);
        QVERIFY2(startedWhenAsked >= 0, "every frame's rest was over before the next was asked");
        QTRY_VERIFY_WITH_TIMEOUT(rig.renderer().framesStarted() > startedWhenAsked, 2000);
    }

    /// The time axis moving by a pixel draws, with no new data.
    void axisMovingAPixelDraws() {
        Rig rig;
        QVERIFY2(rig.settled, "frames go on with nothing new to draw");
        rig.renderer().setWindow(1s); // a few ms a pixel, and the sensor's slot a second away
        QVERIFY(rig.settle());
        const qint64 started = rig.renderer().framesStarted();
        rig.clock.advance(50ms);
        QTRY_COMPARE_WITH_TIMEOUT(rig.renderer().framesStarted(), started + 1, 2000);
    }

    /// Another tab in front: no frame at all while readings arrive, then exactly one on show.
    void hiddenTabDrawsNothingThenOneFrameOnShow() {
        Rig rig;
        QVERIFY2(rig.settled, "frames go on with nothing new to draw");
        rig.tabs.setCurrentIndex(1);
        const qint64 started = rig.renderer().framesStarted();
        for (int i = 0; i < 3; ++i)
            rig.nextReading();
        QVERIFY(!rig.renderer().tick());
        test::spin(200ms);
        QCOMPARE(rig.renderer().framesStarted(), started);
        rig.tabs.setCurrentIndex(0);
        QTRY_COMPARE_WITH_TIMEOUT(rig.renderer().framesStarted(), started + 1, 2000);
        QVERIFY(rig.settle());
        QCOMPARE(rig.renderer().framesStarted(), started + 1);
    }

    /// A minimized window: no frame while readings arrive, then exactly one when restored.
    void minimizedWindowDrawsNothingThenOneFrameOnRestore() {
        Rig rig;
        QVERIFY2(rig.settled, "frames go on with nothing new to draw");
        rig.tabs.showMinimized();
        QTRY_VERIFY_WITH_TIMEOUT(rig.tabs.isMinimized(), 2000);
        test::spin(100ms);
        const qint64 started = rig.renderer().framesStarted();
        for (int i = 0; i < 3; ++i)
            rig.nextReading();
        QVERIFY(!rig.renderer().tick());
        test::spin(200ms);
        QCOMPARE(rig.renderer().framesStarted(), started);
        rig.tabs.showNormal();
        QTRY_COMPARE_WITH_TIMEOUT(rig.renderer().framesStarted(), started + 1, 2000);
        QVERIFY(rig.settle());
        QCOMPARE(rig.renderer().framesStarted(), started + 1);
    }

    /// The lag meter's new text four times a second repaints the meter alone: no re-layout of
    /// the status bar, no re-polish unless its colour changes.
    void lagMeterRefreshLaysNothingOut() {
        QMainWindow window;
        async::LoopLagProbe probe(20ms, 250);
        auto *meter = new widgets::LoopHealthWidget(&probe);
        auto *neighbour = new QLabel(QStringLiteral("poll cycle 0.30 s"));
        window.statusBar()->addPermanentWidget(neighbour);
        window.statusBar()->addPermanentWidget(meter);
        window.resize(800, 300);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        probe.start();
        QTest::qWait(100);
        EventCounter layouts(QEvent::LayoutRequest);
        EventCounter polish(QEvent::StyleChange);
        window.statusBar()->installEventFilter(&layouts);
        meter->installEventFilter(&polish);
        const QString before = meter->text();
        for (int i = 0; i < 20 && meter->text() == before; ++i) {
            QTest::qWait(30); // the probe's figures move on
            meter->refresh();
        }
        QVERIFY2(meter->text() != before, "the figures never changed");
        QCoreApplication::processEvents();
        QCOMPARE(layouts.count, 0);
        QCOMPARE(polish.count, 0);
    }
};

QTEST_MAIN(TestDashboardIdle)
#include "tst_dashboardidle.moc"
