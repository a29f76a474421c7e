// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/clock.h"

#include <QElapsedTimer>
#include <QTest>

using namespace std::chrono_literals;
using vigil::async::Clock;
using vigil::async::RealClock;
using vigil::async::VirtualClock;

class TestClock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void virtualTimersFireInDeadlineOrder() {
        VirtualClock clock;
        QList<int> fired;
        clock.callAfter(300ms, [&] { fired << 3; });
        clock.callAfter(100ms, [&] { fired << 1; });
        clock.callAfter(200ms, [&] { fired << 2; });
        clock.advance(1s);
        QCOMPARE(fired, (QList<int>{1, 2, 3}));
        QCOMPARE(clock.elapsed(), Clock::Duration(1s));
    }

    void virtualAdvanceStopsAtTarget() {
        VirtualClock clock;
        int fired = 0;
        clock.callAfter(100ms, [&] { ++fired; });
        clock.callAfter(500ms, [&] { ++fired; });
        clock.advance(250ms);
        QCOMPARE(fired, 1);
        QCOMPARE(clock.pendingTimers(), std::size_t(1));
        QCOMPARE(clock.elapsed(), Clock::Duration(250ms));
    }

    void virtualCancelRemovesTimer() {
        VirtualClock clock;
        bool fired = false;
        const auto id = clock.callAfter(10ms, [&] { fired = true; });
        clock.cancel(id);
        clock.cancel(id); // twice is harmless
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
        clock.advance(1s);
        QVERIFY(!fired);
    }

    void virtualTimerSetDuringAdvanceFiresInSameAdvance() {
        VirtualClock clock;
        Clock::Duration secondAt{};
        clock.callAfter(100ms,
                        [&] { clock.callAfter(100ms, [&] { secondAt = clock.elapsed(); }); });
        clock.advance(1s);
        QCOMPARE(secondAt, Clock::Duration(200ms));
    }

    void virtualWallTimeMovesWithTheClock() {
        VirtualClock clock;
        const QDateTime before = clock.wallNow();
        clock.advance(90s);
        QCOMPARE(before.msecsTo(clock.wallNow()), qint64(90000));
        QCOMPARE(clock.wallNow().timeSpec(), Qt::UTC);
    }

    void realClockFiresNoEarlierThanDue() {
        RealClock clock;
        QElapsedTimer t;
        t.start();
        bool fired = false;
        qint64 firedAfterMs = -1;
        clock.callAfter(30ms, [&] {
            fired = true;
            firedAfterMs = t.elapsed();
        });
        QCOMPARE(clock.pendingTimers(), std::size_t(1));
        QTRY_VERIFY_WITH_TIMEOUT(fired, 5000);
        QVERIFY2(firedAfterMs >= 29, qPrintable(QString::number(firedAfterMs)));
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
    }

    void cancellingAFiredTimerNeverHitsAnother() {
        // Qt reuses a timer's id once it has fired. A late cancel of the old id (a deadline
        // guard going out of scope) must not kill whoever got the id next.
        RealClock clock;
        bool firstFired = false;
        const auto first = clock.callAfter(1ms, [&] { firstFired = true; });
        QTRY_VERIFY_WITH_TIMEOUT(firstFired, 5000);
        bool secondFired = false;
        const auto second = clock.callAfter(20ms, [&] { secondFired = true; });
        QVERIFY(second != first);
        clock.cancel(first);
        QCOMPARE(clock.pendingTimers(), std::size_t(1));
        QTRY_VERIFY_WITH_TIMEOUT(secondFired, 5000);
    }

    void realClockCancelPreventsFiring() {
        RealClock clock;
        bool fired = false;
        const auto id = clock.callAfter(10ms, [&] { fired = true; });
        clock.cancel(id);
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
        vigil::test::spin(50ms);
        QVERIFY(!fired);
    }
};

QTEST_GUILESS_MAIN(TestClock)
#include "tst_clock.moc"
