// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "async/sleep.h"
#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"
#include "sensors/sensorhub.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace vigil;
using async::VirtualClock;
using dashboard::DashboardConfig;
using dashboard::MonitoringSession;
using test::drive;

namespace {
// Simulated sensors that take 50 ms of virtual time per read, every 200 ms.
DashboardConfig dashboardOf(const QStringList &names) {
    DashboardConfig config;
    for (const auto &name : names) {
        dashboard::SensorConfig s;
        s.type = QStringLiteral("simulated");
        s.name = name;
        s.latencyMs = 50;
        s.latencyMaxMs = 50;
        s.intervalMs = 200;
        s.timeoutMs = 1000;
        config.sensors << s;
    }
    return config;
}

QStringList ids(const QStringList &names) {
    QStringList out;
    for (const auto &name : names)
        out << QStringLiteral("sim:") + name;
    return out;
}

QCoro::Task<> idle(VirtualClock &clock, std::chrono::milliseconds duration) {
    co_await async::sleepFor(clock, duration);
}

// Both applies are asked for at once, the second before the first has begun to wait.
QCoro::Task<> applyTwice(MonitoringSession &session, DashboardConfig first,
                         DashboardConfig second) {
    auto a = session.apply(std::move(first));
    auto b = session.apply(std::move(second));
    co_await a;
    co_await b;
}

QCoro::Task<> applyThenShutDown(MonitoringSession &session, DashboardConfig config) {
    auto applying = session.apply(std::move(config));
    auto shuttingDown = session.shutdown();
    co_await applying;
    co_await shuttingDown;
}

/// Logs what the hub sees: "+id" when a sensor is added, "-id" when removed, and readings by id.
struct HubLog {
    QStringList changes;
    QMap<QString, int> readings;
    void watch(sensors::SensorHub &hub, QObject *context) {
        QObject::connect(&hub, &sensors::SensorHub::sensorAdded, context,
                         [this](const QString &id) { changes << QStringLiteral("+") + id; });
        QObject::connect(&hub, &sensors::SensorHub::sensorRemoved, context,
                         [this](const QString &id) { changes << QStringLiteral("-") + id; });
        QObject::connect(&hub, &sensors::SensorHub::readingAdded, context,
                         [this](const QString &id, const sensors::Reading &) { ++readings[id]; });
    }
};
} // namespace

class TestMonitoringSession : public QObject {
    Q_OBJECT

    // A session polling @p names, with reads in flight: a stop() now has to wait for them.
    static void startPolling(MonitoringSession &session, VirtualClock &clock,
                             const QStringList &names) {
        QVERIFY(drive(session.apply(dashboardOf(names)), &clock).isOk());
        QVERIFY(drive(idle(clock, 1025ms), &clock).isOk()); // mid-read: slots at 1000, 1200…
        QVERIFY(session.hub().poller().isRunning());
    }

private Q_SLOTS:
    void quickAppliesRunOneAfterTheOtherAndTheLastWins() {
        VirtualClock clock;
        MonitoringSession session(clock);
        startPolling(session, clock, {QStringLiteral("X")});
        HubLog log;
        log.watch(session.hub(), this);
        const auto a = QStringList{QStringLiteral("A1"), QStringLiteral("A2")};
        const auto b = QStringList{QStringLiteral("B1")};
        QVERIFY(drive(applyTwice(session, dashboardOf(a), dashboardOf(b)), &clock).isOk());
        // The second swap began only once the first had finished: no mixture of the two.
        QCOMPARE(log.changes, (QStringList{QStringLiteral("-sim:X"), QStringLiteral("+sim:A1"),
                                           QStringLiteral("+sim:A2"), QStringLiteral("-sim:A1"),
                                           QStringLiteral("-sim:A2"), QStringLiteral("+sim:B1")}));
        QCOMPARE(session.hub().ids(), ids(b));
        QCOMPARE(session.layout().charts, QList<QStringList>{ids(b)});
        QCOMPARE(session.hub().poller().sensors().size(), 1);
        log.readings.clear();
        QVERIFY(drive(idle(clock, 2000ms), &clock).isOk());
        QCOMPARE(log.readings.keys(), ids(b)); // nothing of the first dashboard still polls
        QVERIFY(log.readings.value(ids(b).first()) >= 9);
        QVERIFY(drive(session.shutdown(), &clock).isOk());
    }

    void shutdownDuringApplyLeavesPollingStopped() {
        VirtualClock clock;
        MonitoringSession session(clock);
        startPolling(session, clock, {QStringLiteral("X")});
        HubLog log;
        log.watch(session.hub(), this);
        const auto b = QStringList{QStringLiteral("B1")};
        QVERIFY(drive(applyThenShutDown(session, dashboardOf(b)), &clock).isOk());
        QVERIFY(session.isShutDown());
        QVERIFY(!session.hub().poller().isRunning());
        QVERIFY(drive(idle(clock, 2000ms), &clock).isOk());
        QVERIFY2(log.readings.isEmpty(), qPrintable(log.readings.keys().join(u',')));
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
    }

    void nothingRestartsPollingAfterShutdown() {
        VirtualClock clock;
        MonitoringSession session(clock);
        startPolling(session, clock, {QStringLiteral("X")});
        QVERIFY(drive(session.shutdown(), &clock).isOk());
        HubLog log;
        log.watch(session.hub(), this);
        QVERIFY(drive(session.apply(dashboardOf({QStringLiteral("C1")})), &clock).isOk());
        session.applyInBackground(dashboardOf({QStringLiteral("C2")}));
        QVERIFY(!session.addSensor(dashboardOf({QStringLiteral("C3")}).sensors.first()));
        QVERIFY(drive(idle(clock, 2000ms), &clock).isOk());
        QVERIFY(!session.hub().poller().isRunning());
        QVERIFY(log.changes.isEmpty());
        QVERIFY(log.readings.isEmpty());
        QCOMPARE(session.hub().ids(), ids({QStringLiteral("X")}));
        QVERIFY(drive(session.shutdown(), &clock).isOk()); // idempotent
    }

    void shutdownDropsQueuedBackgroundApplies() {
        VirtualClock clock;
        MonitoringSession session(clock);
        startPolling(session, clock, {QStringLiteral("X")});
        session.applyInBackground(dashboardOf({QStringLiteral("A1")})); // waits for the reads
        session.applyInBackground(dashboardOf({QStringLiteral("B1")})); // queued behind it
        QVERIFY(drive(session.shutdown(), &clock).isOk());
        // The swap in progress ended whole; the queued one never began.
        QCOMPARE(session.hub().ids(), ids({QStringLiteral("A1")}));
        QVERIFY(!session.hub().poller().isRunning());
        QCOMPARE(clock.pendingTimers(), std::size_t(0));
    }

    void removeSensorWaitsForTheApplyBeforeIt() {
        VirtualClock clock;
        MonitoringSession session(clock);
        startPolling(session, clock, {QStringLiteral("X")});
        session.applyInBackground(dashboardOf({QStringLiteral("A1"), QStringLiteral("A2")}));
        session.removeSensorInBackground(QStringLiteral("sim:A1")); // not there yet: waits
        QVERIFY(drive(idle(clock, 500ms), &clock).isOk());
        QCOMPARE(session.hub().ids(), ids({QStringLiteral("A2")}));
        QCOMPARE(session.layout().charts, QList<QStringList>{ids({QStringLiteral("A2")})});
        QVERIFY(drive(session.shutdown(), &clock).isOk());
    }
};

QTEST_GUILESS_MAIN(TestMonitoringSession)
#include "tst_monitoringsession.moc"
