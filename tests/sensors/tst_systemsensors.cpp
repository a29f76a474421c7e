// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"

#include "sensors/systemparsers.h"
#include "sensors/systemsensor.h"

#include <QFile>
#include <QTest>

using namespace vigil;
using namespace vigil::sensors;
using vigil::test::drive;

Q_DECLARE_METATYPE(std::optional<double>)

namespace {
QByteArray fixture(const QString &relative) {
    QFile f(QFINDTESTDATA(QStringLiteral("fixtures/sysroot/") + relative));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestSystemSensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void procStatParses_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<quint64>("busy");
        QTest::addColumn<quint64>("idle");
        QTest::newRow("captured /proc/stat")
            << fixture(QStringLiteral("proc/stat")) << true << quint64(134750 + 32863 + 353 + 122)
            << quint64(286625 + 1256);
        QTest::newRow("old kernel, four columns")
            << QByteArray("cpu 10 0 5 100\n") << true << quint64(15) << quint64(100);
        QTest::newRow("no aggregate line")
            << QByteArray("cpu0 1 2 3 4\n") << false << quint64(0) << quint64(0);
        QTest::newRow("letters in counters")
            << QByteArray("cpu 1 x 3 4 5\n") << false << quint64(0) << quint64(0);
        QTest::newRow("empty") << QByteArray() << false << quint64(0) << quint64(0);
    }

    void procStatParses() {
        QFETCH(QByteArray, text);
        QFETCH(bool, valid);
        QFETCH(quint64, busy);
        QFETCH(quint64, idle);
        const auto t = parseProcStat(text);
        QCOMPARE(t.has_value(), valid);
        if (t) {
            QCOMPARE(t->busy, busy);
            QCOMPARE(t->idle, idle);
        }
    }

    void cpuPercentComesFromTwoSamples() {
        QCOMPARE(cpuPercent({100, 300}, {150, 350}), std::optional<double>(50.0));
        QVERIFY(!cpuPercent({100, 300}, {100, 300})); // no time passed
    }

    void smallProcFilesParse_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<std::optional<double>>("expected");
        QTest::newRow("meminfo")
            << 0 << QByteArray("MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 250 kB\n")
            << std::optional<double>(75.0);
        QTest::newRow("meminfo without MemAvailable")
            << 0 << QByteArray("MemTotal: 1000 kB\nMemFree: 100 kB\n") << std::optional<double>();
        QTest::newRow("meminfo available > total")
            << 0 << QByteArray("MemTotal: 10 kB\nMemAvailable: 20 kB\n") << std::optional<double>();
        QTest::newRow("loadavg") << 1 << QByteArray("1.06 0.86 0.87 1/78 20019\n")
                                 << std::optional<double>(1.06);
        QTest::newRow("loadavg garbage") << 1 << QByteArray("high\n") << std::optional<double>();
        QTest::newRow("thermal millidegrees")
            << 2 << QByteArray("47500\n") << std::optional<double>(47.5);
        QTest::newRow("thermal below zero")
            << 2 << QByteArray("-5000\n") << std::optional<double>(-5.0);
        QTest::newRow("thermal garbage") << 2 << QByteArray("n/a\n") << std::optional<double>();
        QTest::newRow("battery") << 3 << QByteArray("83\n") << std::optional<double>(83.0);
        QTest::newRow("battery over 100") << 3 << QByteArray("140\n") << std::optional<double>();
    }

    void smallProcFilesParse() {
        QFETCH(int, which);
        QFETCH(QByteArray, text);
        QFETCH(std::optional<double>, expected);
        std::optional<double> got;
        switch (which) {
        case 0:
            got = parseMemoryUsedPercent(text);
            break;
        case 1:
            got = parseLoadAverage(text);
            break;
        case 2:
            got = parseMilliCelsius(text);
            break;
        default:
            got = parseBatteryCapacity(text);
            break;
        }
        QCOMPARE(got, expected);
    }

    void capturedMeminfoParses() {
        const auto used = parseMemoryUsedPercent(fixture(QStringLiteral("proc/meminfo")));
        QVERIFY(used && *used > 0 && *used < 100);
    }

    void netDevListsInterfaces() {
        const auto list = parseNetDev(fixture(QStringLiteral("proc/net/dev")));
        QStringList names;
        for (const auto &c : list)
            names << c.interface;
        QCOMPARE(names, (QStringList{QStringLiteral("lo"), QStringLiteral("ifb0"),
                                     QStringLiteral("ifb1"), QStringLiteral("eth0")}));
        QCOMPARE(list.last().rxBytes, quint64(44984145));
        QCOMPARE(list.last().txBytes, quint64(52263));
        QVERIFY(parseNetDev("Inter-| garbage\n eth0: 1 2 3\n").isEmpty());
    }

    void discoveryFindsWhatTheMachineHasAndNothingElse() {
        async::VirtualClock clock;
        const auto sensors = discoverSystemSensors(QFINDTESTDATA("fixtures/sysroot"), clock);
        QStringList ids;
        for (const auto &s : sensors)
            ids << s->id();
        QVERIFY(ids.contains(QStringLiteral("system:cpu")));
        QVERIFY(ids.contains(QStringLiteral("system:memory")));
        QVERIFY(ids.contains(QStringLiteral("system:load")));
        QVERIFY(ids.contains(QStringLiteral("system:net-rx:eth0")));
        QVERIFY(!ids.contains(QStringLiteral("system:net-rx:lo")));
        QVERIFY(ids.contains(QStringLiteral("system:thermal:thermal_zone0")));
        QVERIFY2(!ids.contains(QStringLiteral("system:thermal:thermal_zone1")),
                 "an unreadable zone is absent, not an error");
        QVERIFY(ids.contains(QStringLiteral("system:battery:BAT0")));
        QVERIFY(!ids.contains(QStringLiteral("system:battery:AC")));
        QVERIFY(discoverSystemSensors(QStringLiteral("/nonexistent-root"), clock).isEmpty());
    }

    void thermalSensorReadsDegrees() {
        async::VirtualClock clock;
        for (const auto &s : discoverSystemSensors(QFINDTESTDATA("fixtures/sysroot"), clock)) {
            if (s->id() == QLatin1String("system:thermal:thermal_zone0")) {
                QCOMPARE(s->name(), QStringLiteral("x86_pkg_temp"));
                QCOMPARE(drive(s->read({}), &clock).value(), 47.5);
                return;
            }
        }
        QFAIL("thermal zone 0 not found");
    }

    void liveCpuSensorOnThisMachine() {
        // This machine's own /proc: the CPU sensor needs two samples 100 ms apart in real time.
        auto &clock = async::Clock::system();
        for (const auto &s : discoverSystemSensors(QStringLiteral("/"), clock)) {
            if (s->id() == QLatin1String("system:cpu")) {
                const auto v = drive(s->read({}));
                QVERIFY2(v.isOk(), qPrintable(v.errorMessage()));
                QVERIFY(v.value() >= 0 && v.value() <= 100);
                return;
            }
        }
        QSKIP("no /proc/stat on this machine");
    }
};

QTEST_GUILESS_MAIN(TestSystemSensors)
#include "tst_systemsensors.moc"
