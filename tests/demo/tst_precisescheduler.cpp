// SPDX-License-Identifier: Apache-2.0
#include "demo/precisescheduler.h"

#include <QElapsedTimer>
#include <QTest>

#include <memory>

using namespace std::chrono_literals;
using vigil::demo::PreciseScheduler;

class TestPreciseScheduler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsInDeadlineOrderNotCallOrder() {
        PreciseScheduler scheduler;
        QObject context;
        QList<int> order;
        scheduler.callAfter(30ms, &context, [&] { order << 3; });
        scheduler.callAfter(10ms, &context, [&] { order << 1; });
        scheduler.callAfter(20ms, &context, [&] { order << 2; });
        scheduler.callAfter(20ms, &context, [&] { order << 22; }); // same deadline: call order
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 4, 5000);
        QCOMPARE(order, (QList<int>{1, 2, 22, 3}));
        QCOMPARE(scheduler.pending(), std::size_t(0));
    }

    void neverRunsEarly() {
        PreciseScheduler scheduler;
        QObject context;
        QElapsedTimer clock;
        QList<qint64> ran; // ns after scheduling, against the asked delay
        clock.start();
        const QList<std::chrono::nanoseconds> delays{1500us, 7300us, 12ms, 12ms + 1ns, 25ms};
        for (const auto d : delays)
            scheduler.callAfter(d, &context, [&ran, &clock] { ran << clock.nsecsElapsed(); });
        QTRY_COMPARE_WITH_TIMEOUT(ran.size(), delays.size(), 5000);
        for (int i = 0; i < delays.size(); ++i)
            QVERIFY2(ran[i] >= delays[i].count(), qPrintable(QString::number(ran[i])));
    }

    void zeroAndNegativeDelaysRunOnTheNextPass() {
        PreciseScheduler scheduler;
        QObject context;
        int ran = 0;
        scheduler.callAfter(0ns, &context, [&] { ++ran; });
        scheduler.callAfter(-5ms, &context, [&] { ++ran; });
        QCOMPARE(ran, 0); // never inline
        QTRY_COMPARE_WITH_TIMEOUT(ran, 2, 5000);
    }

    void aGoneContextDropsItsCallback() {
        PreciseScheduler scheduler;
        auto doomed = std::make_unique<QObject>();
        QObject survivor;
        bool doomedRan = false;
        bool survivorRan = false;
        scheduler.callAfter(5ms, doomed.get(), [&] { doomedRan = true; });
        scheduler.callAfter(10ms, &survivor, [&] { survivorRan = true; });
        doomed.reset();
        QTRY_VERIFY_WITH_TIMEOUT(survivorRan, 5000);
        QVERIFY(!doomedRan);
    }

    void aCallbackCanScheduleAnEarlierOne() {
        PreciseScheduler scheduler;
        QObject context;
        QList<int> order;
        scheduler.callAfter(1h, &context, [&] { order << 3; });
        scheduler.callAfter(2ms, &context, [&] {
            order << 1;
            scheduler.callAfter(3ms, &context, [&] { order << 2; }); // long before the armed hour
        });
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 2, 5000);
        QCOMPARE(order, (QList<int>{1, 2}));
        QCOMPARE(scheduler.pending(), std::size_t(1));
    }

    void destroyedWithPendingCallbacksRunsNone() {
        bool ran = false;
        QObject context;
        {
            PreciseScheduler scheduler;
            scheduler.callAfter(1ms, &context, [&] { ran = true; });
        }
        QTest::qWait(20);
        QVERIFY(!ran);
    }
};

QTEST_GUILESS_MAIN(TestPreciseScheduler)
#include "tst_precisescheduler.moc"
