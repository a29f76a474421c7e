// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/lagstats.h"
#include "async/looplagprobe.h"
#include "compute/computepool.h"
#include "compute/cpuburn.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil::async;
using vigil::test::drive;
using vigil::test::spin;

namespace {
QCoro::Task<double> offloadedJob(std::chrono::milliseconds length) {
    auto job = [length] { return vigil::compute::burnCpu(length); };
    co_return co_await vigil::compute::offload(job);
}
} // namespace

class TestLoopLag : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void percentilesUseNearestRank_data() {
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("expected");
        QTest::newRow("p0 is the smallest") << 0.0 << 1.0;
        QTest::newRow("p50 of 1..100") << 50.0 << 50.0;
        QTest::newRow("p99 of 1..100") << 99.0 << 99.0;
        QTest::newRow("p100 is the largest") << 100.0 << 100.0;
    }

    void percentilesUseNearestRank() {
        QFETCH(double, p);
        QFETCH(double, expected);
        LagStats stats(100);
        for (int i = 100; i >= 1; --i)
            stats.add(i);
        QCOMPARE(stats.percentile(p), expected);
    }

    void windowSlidesOverOldSamples() {
        LagStats stats(3);
        stats.add(500);
        stats.add(1);
        stats.add(2);
        stats.add(3);
        QCOMPARE(stats.count(), std::size_t(3));
        QCOMPARE(stats.max(), 3.0);
        QCOMPARE(stats.last(), 3.0);
        stats.clear();
        QCOMPARE(stats.percentile(99), 0.0);
    }

    void keepSamplesWidensTheWindowAndStartsAfresh() {
        LoopLagProbe probe(5ms, 2);
        probe.start();
        QTRY_VERIFY_WITH_TIMEOUT(probe.stats().count() == 2, 5000);
        probe.keepSamples(1000);
        QCOMPARE(probe.stats().count(), std::size_t(0));
        QCOMPARE(probe.stats().window(), std::size_t(1000));
        QTRY_VERIFY_WITH_TIMEOUT(probe.stats().count() >= 3, 5000);
    }

    void probeSeesABlockedLoop() {
        LoopLagProbe probe(5ms, 500);
        probe.start();
        spin(50ms);
        vigil::compute::burnCpu(300ms); // the GUI thread is blocked here
        spin(30ms);
        QVERIFY2(probe.maxMs() >= 250, qPrintable(QString::number(probe.maxMs())));
    }

    void loopStaysResponsiveWhileComputePoolRunsAJob() {
        LoopLagProbe probe(5ms, 500);
        probe.start();
        spin(30ms);
        probe.reset();
        QElapsedTimer wall;
        wall.start();
        const auto r = drive(offloadedJob(500ms));
        QVERIFY(r.isOk());
        QVERIFY(wall.elapsed() >= 490);
        QVERIFY2(probe.stats().count() >= 20, "the probe kept ticking during the job");
        // Far below the 500 ms a blocked loop would show; generous for loaded CI machines.
        QVERIFY2(probe.maxMs() < 150, qPrintable(QString::number(probe.maxMs())));
    }

    void probeEmitsUpdatesWhileRunning() {
        LoopLagProbe probe(5ms);
        int updates = 0;
        connect(&probe, &LoopLagProbe::updated, this, [&] { ++updates; });
        probe.start();
        QTRY_VERIFY_WITH_TIMEOUT(updates >= 3, 5000);
        probe.stop();
        QVERIFY(!probe.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestLoopLag)
#include "tst_looplag.moc"
