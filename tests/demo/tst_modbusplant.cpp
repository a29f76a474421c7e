// SPDX-License-Identifier: Apache-2.0
// The offline Modbus demo: Vigil's own server (QModbusTcpServer) read by the demo dashboard
// through a session, and by mbpoll, a client Vigil did not write.
#include "asynctest.h"

#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"
#include "demo/modbusplant.h"
#include "sensors/sensorhub.h"

#include <QProcess>
#include <QTest>

using namespace vigil;
using namespace std::chrono_literals;

class TestModbusPlant : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theDashboardReadsThePlant() {
        demo::ModbusDemoServer server;
        QVERIFY2(server.listen(), qPrintable(server.errorString()));
        const dashboard::DashboardConfig config = demo::modbusPlantDashboard(server.port());
        dashboard::ConfigError error;
        // The dashboard is one a file could hold.
        QVERIFY2(dashboard::parseDashboard(dashboard::serializeDashboard(config), &error),
                 qPrintable(error.text()));
        dashboard::MonitoringSession session(async::Clock::system());
        QVERIFY(test::drive(session.apply(config)).isOk());
        auto &hub = session.hub();
        QElapsedTimer t;
        t.start();
        const auto allRead = [&] {
            for (const auto &id : hub.ids())
                if (hub.stats(id).ok < 2)
                    return false;
            return true;
        };
        while (!allRead() && t.elapsed() < 15000)
            test::spin(100ms);
        QVERIFY(allRead());
        // Each value decodes near its setpoint whatever its type, order and scale: a wrong
        // order would give nonsense (1e-40, 4e9), not 150.
        const QHash<QString, std::pair<double, double>> expected = {
            {QStringLiteral("Reactor_Temp"), {130, 170}},
            {QStringLiteral("Reactor_Press"), {3, 7}},
            {QStringLiteral("Feed_Flow"), {5, 15}},
            {QStringLiteral("Coolant_Temp"), {15, 35}},
            {QStringLiteral("Energy"), {1000, 1100}},
            {QStringLiteral("Pump_1"), {1350, 1550}},
            {QStringLiteral("Pump_2"), {1400, 1600}},
            {QStringLiteral("Strokes"), {1, 1e6}},
            {QStringLiteral("Pump_1_running"), {0, 1}},
            {QStringLiteral("High_temp_switch"), {0, 1}}};
        QCOMPARE(hub.ids().size(), expected.size());
        for (const auto &id : hub.ids()) {
            const QString name = hub.sensor(id)->name();
            const double v = hub.stats(id).lastValue;
            QVERIFY2(v >= expected[name].first && v <= expected[name].second,
                     qPrintable(QStringLiteral("%1 = %2").arg(name).arg(v)));
            QCOMPARE(hub.stats(id).errors, 0);
        }
        // Ten sensors of one device in four tables: four requests a cycle, not ten.
        const QString first = hub.ids().first();
        const qint64 served0 = server.requests();
        const qint64 ok0 = hub.stats(first).ok;
        QTRY_VERIFY_WITH_TIMEOUT(hub.stats(first).ok >= ok0 + 6, 15000);
        const qint64 cycles = hub.stats(first).ok - ok0;
        const qint64 served = server.requests() - served0;
        QVERIFY2(served >= cycles * 4 - 4 && served <= (cycles + 1) * 4,
                 qPrintable(QStringLiteral("%1 requests in %2 cycles").arg(served).arg(cycles)));
        QVERIFY(test::drive(session.shutdown()).isOk());
    }

    void mbpollReadsTheSameRegisters() {
        demo::ModbusDemoServer server;
        QVERIFY2(server.listen(), qPrintable(server.errorString()));
        QProcess p;
        p.start(QStringLiteral("mbpoll"),
                {QStringLiteral("-m"), QStringLiteral("tcp"), QStringLiteral("-p"),
                 QString::number(server.port()), QStringLiteral("-0"), QStringLiteral("-1"),
                 QStringLiteral("-r"), QStringLiteral("0"), QStringLiteral("-t"),
                 QStringLiteral("4:float"), QStringLiteral("-B"), QStringLiteral("127.0.0.1")});
        // mbpoll blocks; the server answers from this thread's event loop meanwhile.
        QElapsedTimer t;
        t.start();
        while (p.state() != QProcess::NotRunning && t.elapsed() < 10000)
            test::spin(20ms);
        const QString output = QString::fromUtf8(p.readAllStandardOutput());
        const qsizetype at = output.indexOf(QStringLiteral("[0]:"));
        QVERIFY2(at >= 0, qPrintable(output));
        const double temp = output.mid(at + 4).trimmed().section(u'\n', 0, 0).toDouble();
        QVERIFY2(temp > 130 && temp < 170, qPrintable(output)); // Reactor_Temp, float32 ABCD
    }

    void takenPortIsAPlainError() {
        demo::ModbusDemoServer first;
        QVERIFY(first.listen());
        demo::ModbusDemoServer second;
        QVERIFY(!second.listen(first.port()));
        QVERIFY(!second.errorString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestModbusPlant)
#include "tst_modbusplant.moc"
