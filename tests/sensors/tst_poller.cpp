// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/sleep.h"
#include "sensors/instrumentsensor.h"
#include "sensors/poller.h"
#include "sensors/sensorhub.h"
#include "sensors/simulatedsensor.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil;
using namespace vigil::sensors;
using vigil::test::drive;

namespace {
QCoro::Task<> pollFor(Poller &poller, async::VirtualClock &clock, std::chrono::milliseconds span) {
    poller.start();
    co_await async::sleepFor(clock, span);
    co_await poller.stop();
}

QCoro::Task<> removeAfter(Poller &poller, async::VirtualClock &clock, QString id,
                          std::chrono::milliseconds after) {
    co_await async::sleepFor(clock, after);
    co_await poller.removeSensor(id);
}

void addProcessSensors(Poller &poller, async::VirtualClock &clock) {
    for (const auto &spec : processSensorSpecs())
        poller.addSensor(std::make_shared<SimulatedSensor>(spec, clock));
}
} // namespace

class TestPoller : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cycleTime_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<double>("expectedCycleMs");
        QTest::newRow("concurrent: the slowest read") << int(Poller::Mode::Concurrent) << 300.0;
        QTest::newRow("sequential: the sum of reads") << int(Poller::Mode::Sequential) << 900.0;
    }

    void cycleTime() {
        QFETCH(int, mode);
        QFETCH(double, expectedCycleMs);
        async::VirtualClock clock;
        Poller poller(clock);
        poller.setMode(Poller::Mode(mode));
        addProcessSensors(poller, clock);
        QList<double> cycles, sums;
        QList<double> maxima;
        connect(&poller, &Poller::cycleFinished, this,
                [&](double c, double s, double m, int reads) {
                    QCOMPARE(reads, 4);
                    cycles << c;
                    sums << s;
                    maxima << m;
                });
        QVERIFY(drive(pollFor(poller, clock, 5s), &clock).isOk());
        QVERIFY(cycles.size() >= 4);
        QCOMPARE(cycles.first(), expectedCycleMs);
        QCOMPARE(sums.first(), 900.0);
        QCOMPARE(maxima.first(), 300.0);
    }

    void sameSeedSameReadings() {
        QList<double> runs[2];
        for (auto &values : runs) {
            async::VirtualClock clock;
            Poller poller(clock);
            addProcessSensors(poller, clock);
            connect(&poller, &Poller::reading, this,
                    [&values](const QString &, const Reading &r) { values << r.value; });
            QVERIFY(drive(pollFor(poller, clock, 3s), &clock).isOk());
        }
        QVERIFY(!runs[0].isEmpty());
        QCOMPARE(runs[0], runs[1]);
    }

    void stuckSensorDelaysNobody() {
        async::VirtualClock clock;
        Poller poller(clock);
        auto press = std::make_shared<SimulatedSensor>(processSensorSpecs()[1], clock); // 200 ms
        SimulatedSpec stuckSpec{QStringLiteral("Stuck"), QStringLiteral("x"), 1, 0, 60s, 60s, 3};
        auto stuck = std::make_shared<SimulatedSensor>(stuckSpec, clock);
        stuck->setTimeout(2s);
        poller.addSensor(press);
        poller.addSensor(stuck);
        QList<qint64> pressTimes;
        int stuckTimeouts = 0, skipped = 0;
        connect(&poller, &Poller::reading, this, [&](const QString &id, const Reading &r) {
            if (id == press->id())
                pressTimes << r.timeMs;
            else if (r.error == ReadingError::Timeout)
                ++stuckTimeouts;
        });
        connect(&poller, &Poller::slotSkipped, this, [&](const QString &) { ++skipped; });
        QVERIFY(drive(pollFor(poller, clock, 6s), &clock).isOk());
        QVERIFY(pressTimes.size() >= 11);
        for (qsizetype i = 1; i < pressTimes.size(); ++i)
            QCOMPARE(pressTimes[i] - pressTimes[i - 1], qint64(500)); // never held back
        QVERIFY(stuckTimeouts >= 2);
        QVERIFY(skipped >= 6); // the stuck one skips the slots it is busy for
    }

    // A reading is stamped when its value arrives; the slot it was read for is kept apart.
    void readingsAreStampedWhenTheirValueArrives() {
        async::VirtualClock clock;
        Poller poller(clock);
        auto press = std::make_shared<SimulatedSensor>(processSensorSpecs()[1], clock); // 200 ms
        SimulatedSpec stuckSpec{QStringLiteral("Stuck"), QStringLiteral("x"), 1, 0, 60s, 60s, 3};
        auto stuck = std::make_shared<SimulatedSensor>(stuckSpec, clock);
        stuck->setTimeout(2s);
        poller.addSensor(press);
        poller.addSensor(stuck);
        QList<qint64> pressDelays, stuckDelays;
        connect(&poller, &Poller::reading, this, [&](const QString &id, const Reading &r) {
            (id == press->id() ? pressDelays : stuckDelays) << r.timeMs - r.slotTimeMs;
        });
        QVERIFY(drive(pollFor(poller, clock, 5s), &clock).isOk());
        QVERIFY(pressDelays.size() >= 8);
        for (const qint64 d : pressDelays)
            QCOMPARE(d, qint64(200));
        QVERIFY(!stuckDelays.isEmpty());
        for (const qint64 d : stuckDelays)
            QCOMPARE(d, qint64(2000)); // a timeout is known when it fires
    }

    void timeoutsAreReadingsMarkedAsTimeouts() {
        async::VirtualClock clock;
        SensorHub hub(clock);
        hub.add(std::make_shared<SimulatedSensor>(unreliableSensorSpec(), clock));
        const QString id = hub.ids().first();
        QCOMPARE(hub.sensor(id)->timeout(), 500ms);
        QVERIFY(drive(
                    [](SensorHub &h, async::VirtualClock &c) -> QCoro::Task<> {
                        h.start();
                        co_await async::sleepFor(c, 30s);
                        co_await h.stop();
                    }(hub, clock),
                    &clock)
                    .isOk());
        const auto &stats = hub.stats(id);
        QVERIFY(stats.timeouts > stats.ok); // latency 0.1–2.0 s against 0.5 s: most time out
        QVERIFY(stats.ok > 0);
        QCOMPARE(stats.errors, qint64(0));
        // Each timeout is a gap in the history, not a value.
        const auto all = hub.history(id).samples(0, std::numeric_limits<qint64>::max());
        const auto gaps =
            std::count_if(all.begin(), all.end(), [](const Sample &s) { return std::isnan(s.v); });
        QCOMPARE(gaps, stats.timeouts);
    }

    void instrumentAlwaysDisconnects() {
        async::VirtualClock clock;
        Poller poller(clock);
        auto removed = std::make_shared<InstrumentSensor>(QStringLiteral("A"), clock);
        auto kept = std::make_shared<InstrumentSensor>(QStringLiteral("B"), clock);
        removed->failNextReads(3);
        QStringList log;
        for (auto *s : {removed.get(), kept.get()})
            connect(s, &InstrumentSensor::lifecycle, this, [&log](const QString &e) { log << e; });
        poller.addSensor(removed);
        poller.addSensor(kept);
        auto removal = removeAfter(poller, clock, removed->id(), 2500ms);
        QVERIFY(drive(pollFor(poller, clock, 4s), &clock).isOk());
        QVERIFY(removal.isReady());
        QVERIFY(!removed->isConnected());
        QVERIFY(!kept->isConnected()); // closed by stop(): the app-quit path
        QVERIFY(log.contains(QStringLiteral("A: read failed")));
        QCOMPARE(log.count(QStringLiteral("A: disconnected")), 1);
        QCOMPARE(log.count(QStringLiteral("B: disconnected")), 1);
        QVERIFY(log.indexOf(QStringLiteral("A: connected")) <
                log.indexOf(QStringLiteral("A: disconnected")));
    }

    void cancelledConnectStillDisconnects() {
        async::VirtualClock clock;
        Poller poller(clock);
        auto inst = std::make_shared<InstrumentSensor>(QStringLiteral("C"), clock);
        QStringList log;
        connect(inst.get(), &InstrumentSensor::lifecycle, this,
                [&log](const QString &e) { log << e; });
        poller.addSensor(inst);
        // The first read starts at 0.5 s and is stopped mid-connect at 0.6 s.
        QVERIFY(drive(pollFor(poller, clock, 600ms), &clock).isOk());
        QCOMPARE(log,
                 (QStringList{QStringLiteral("C: connecting"), QStringLiteral("C: disconnecting"),
                              QStringLiteral("C: disconnected")}));
    }

    void alarmsFireOnCrossings() {
        Thresholds t;
        t.lowAlarm = 0;
        t.lowWarn = 10;
        t.highWarn = 90;
        t.highAlarm = 100;
        QVERIFY(t.problem().isEmpty());
        QCOMPARE(t.classify(50), AlarmLevel::Normal);
        QCOMPARE(t.classify(95), AlarmLevel::Warning);
        QCOMPARE(t.classify(101), AlarmLevel::Alarm);
        QCOMPARE(t.classify(-1), AlarmLevel::Alarm);
        t.highWarn = 200;
        QVERIFY(t.problem().contains(QStringLiteral("highAlarm")));

        async::VirtualClock clock;
        SensorHub hub(clock);
        Thresholds band;
        band.highWarn = 151;
        band.highAlarm = 153;
        hub.add(std::make_shared<SimulatedSensor>(processSensorSpecs()[0], clock), band);
        QList<AlarmEvent> events;
        connect(&hub, &SensorHub::alarmRaised, this, [&](const AlarmEvent &e) { events << e; });
        QVERIFY(drive(
                    [](SensorHub &h, async::VirtualClock &c) -> QCoro::Task<> {
                        h.start();
                        co_await async::sleepFor(c, 120s);
                        co_await h.stop();
                    }(hub, clock),
                    &clock)
                    .isOk());
        QVERIFY(!events.isEmpty()); // σ = 2 around 150: it crosses 151 often
        for (const auto &e : events) {
            QVERIFY(e.from != e.to);
            QCOMPARE(e.to, band.classify(e.value));
            QVERIFY(e.timeMs > 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestPoller)
#include "tst_poller.moc"
