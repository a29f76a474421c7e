// SPDX-License-Identifier: Apache-2.0
#include "async/clock.h"
#include "sensors/sensorhub.h"
#include "sensors/simulatedsensor.h"
#include "sensors/thresholds.h"

#include <QSignalSpy>
#include <QTest>

using namespace vigil::sensors;

Q_DECLARE_METATYPE(vigil::sensors::Thresholds)

namespace {
// One reading a second, as the CPU sensor reads.
QString levels(const Thresholds &t, const QList<double> &values) {
    AlarmState state;
    QStringList out;
    qint64 timeMs = 1'700'000'000'000;
    for (const double v : values) {
        out << alarmLevelName(state.update(t, v, timeMs)).left(1);
        timeMs += 1000;
    }
    return out.join(QString());
}

Thresholds cpu(double deadband = 0, int delayS = 0) {
    Thresholds t;
    t.highWarn = 90;
    t.highAlarm = 99.7;
    t.deadband = deadband;
    t.delayS = delayS;
    return t;
}
} // namespace

class TestThresholds : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void levelsOverTime_data() {
        QTest::addColumn<Thresholds>("thresholds");
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<QString>("expected"); // n(ormal), w(arning), a(larm) per reading
        const QList<double> jitter = {99.5, 99.8, 99.5, 99.8, 99.6, 99.5, 99.8, 99.4};
        QTest::newRow("CPU at 99.5 against 99.7, no deadband: flips (as before)")
            << cpu() << jitter << QStringLiteral("wawawwaw");
        QTest::newRow("same CPU with a 0.5 deadband: stays in alarm")
            << cpu(0.5) << jitter << QStringLiteral("waaaaaaa");
        QTest::newRow("deadband: leaves alarm once back inside by it")
            << cpu(0.5) << QList<double>{99.8, 99.3, 99.1, 89.8, 89.4} << QStringLiteral("aawwn");
        QTest::newRow("deadband on a low bound") <<
            [] {
                Thresholds t;
                t.lowAlarm = 10;
                t.deadband = 2;
                return t;
            }() << QList<double>{9, 11, 11.9, 12.5, 11}
                                                 << QStringLiteral("aaann");
        QTest::newRow("for 3 s: a 2 s spike raises nothing")
            << cpu(0, 3) << QList<double>{50, 99.9, 99.9, 50, 50} << QStringLiteral("nnnnn");
        QTest::newRow("for 3 s: raised once beyond the bound for 3 s")
            << cpu(0, 3) << QList<double>{50, 99.9, 99.9, 99.9, 99.9, 50}
            << QStringLiteral("nnnnan");
        QTest::newRow("for 3 s: warning then alarm count from the first worse reading")
            << cpu(0, 3) << QList<double>{95, 99.9, 99.9, 99.9} << QStringLiteral("nnna");
        QTest::newRow("for 2 s with a deadband: a dip inside the deadband keeps the level")
            << cpu(1, 2) << QList<double>{99.9, 99.9, 99.9, 99.0, 99.9} << QStringLiteral("nnaaa");
    }
    void levelsOverTime() {
        QFETCH(Thresholds, thresholds);
        QFETCH(QList<double>, values);
        QFETCH(QString, expected);
        QCOMPARE(levels(thresholds, values), expected);
    }

    void hubRaisesOneAlarmForAValueSittingOnTheBound() {
        // The trial's case, through the hub as the poller feeds it: one alarm, then quiet.
        vigil::async::VirtualClock clock;
        SensorHub hub(clock);
        SimulatedSpec spec;
        spec.name = QStringLiteral("CPU");
        hub.add(std::make_shared<SimulatedSensor>(spec, clock), cpu(0.5));
        QSignalSpy alarms(&hub, &SensorHub::alarmRaised);
        qint64 timeMs = 1'700'000'000'000;
        for (const double v : {99.5, 99.8, 99.5, 99.8, 99.6, 99.5, 99.8, 99.4}) {
            Reading r;
            r.timeMs = timeMs += 1000;
            r.value = v;
            Q_EMIT hub.poller().reading(QStringLiteral("sim:CPU"), r);
        }
        QCOMPARE(alarms.size(), 2); // normal → warning, warning → alarm
        QCOMPARE(hub.stats(QStringLiteral("sim:CPU")).level, AlarmLevel::Alarm);
    }

    void problemsNameTheField_data() {
        QTest::addColumn<Thresholds>("thresholds");
        QTest::addColumn<QString>("problem");
        QTest::newRow("fine") << cpu(0.5, 10) << QString();
        QTest::newRow("negative deadband")
            << cpu(-1) << QStringLiteral("deadband (-1) must be a number ≥ 0");
        QTest::newRow("delay beyond a day")
            << cpu(0, 86401) << QStringLiteral("delay_s (86401) must be 0 to 86400 seconds");
    }
    void problemsNameTheField() {
        QFETCH(Thresholds, thresholds);
        QFETCH(QString, problem);
        QCOMPARE(thresholds.problem(), problem);
    }
};

QTEST_GUILESS_MAIN(TestThresholds)
#include "tst_thresholds.moc"
