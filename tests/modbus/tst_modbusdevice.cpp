// SPDX-License-Identifier: Apache-2.0
// Register sensors against pymodbus 3.0 (a Modbus TCP server Vigil did not write), started by
// each test on a free loopback port behind a proxy that counts what Vigil sends.
#include "asynctest.h"
#include "modbuspeer.h"

#include "async/clock.h"
#include "async/taskgroup.h"
#include "modbus/devicepool.h"
#include "modbus/registersensor.h"

#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTest>

using namespace vigil;
using namespace std::chrono_literals;
using modbus::DataType;
using modbus::RegisterSpec;
using modbus::Table;
using modbus::WordOrder;
using test::ModbusPeer;

namespace {
QJsonObject entry(int address, const QString &type, const QString &order, double value) {
    return {{QStringLiteral("address"), address},
            {QStringLiteral("type"), type},
            {QStringLiteral("order"), order},
            {QStringLiteral("value"), value}};
}

/// The value every type holds in the layout: one a wrong type or order would not give.
double sample(DataType type) {
    switch (type) {
    case DataType::Int16:
        return -1234;
    case DataType::UInt16:
        return 54321;
    case DataType::Int32:
        return -123456789;
    case DataType::UInt32:
        return 3000000000.0;
    case DataType::Float32:
        return -2.75;
    case DataType::Int64:
        return -1234567890123.0;
    case DataType::Float64:
        return 6.02214076e23;
    }
    return 0;
}

/// Every type in every order, four registers apart from address 0 on.
QJsonObject everyTypeLayout() {
    QJsonArray holding;
    int address = 0;
    for (const QString &type : modbus::typeNames())
        for (const QString &order : modbus::orderNames()) {
            holding.append(entry(address, type, order, sample(*modbus::parseDataType(type))));
            address += 4;
        }
    return {{QStringLiteral("holding"), holding},
            {QStringLiteral("input"),
             QJsonArray{entry(7, QStringLiteral("int16"), QStringLiteral("ABCD"), 77)}},
            {QStringLiteral("coil"), QJsonArray{QJsonObject{{QStringLiteral("address"), 3},
                                                            {QStringLiteral("value"), 1}}}}};
}

RegisterSpec spec(const ModbusPeer &peer, Table table, int address, DataType type,
                  WordOrder order = WordOrder::ABCD) {
    RegisterSpec s;
    s.host = QStringLiteral("127.0.0.1");
    s.port = peer.port();
    s.table = table;
    s.address = address;
    s.dataType = type;
    s.wordOrder = order;
    return s;
}

/// Register sensors on one pool, closed at the end.
struct Sensors {
    async::RealClock clock;
    modbus::DevicePool pool{clock};
    std::vector<std::shared_ptr<modbus::RegisterSensor>> list;
    QStringList log;

    Sensors() {
        QObject::connect(&pool, &modbus::DevicePool::logMessage,
                         [this](const QString &line) { log << line; });
    }
    ~Sensors() { close(); }
    modbus::RegisterSensor &add(const RegisterSpec &s, std::chrono::milliseconds timeout = 2s) {
        list.push_back(std::make_shared<modbus::RegisterSensor>(s, registerId(s), QString(), pool));
        list.back()->setTimeout(timeout);
        return *list.back();
    }
    void close() {
        for (auto &s : list)
            QVERIFY(test::drive(s->close()).isOk());
        list.clear();
        QCOMPARE(pool.size(), std::size_t(0));
    }
};

/// Reads every sensor in one turn, as a poll cycle does: their outcomes in order.
QCoro::Task<std::vector<async::Outcome<double>>>
readTogether(std::vector<std::shared_ptr<modbus::RegisterSensor>> sensors) {
    async::TaskGroup<double> group;
    for (const auto &sensor : sensors)
        group.spawn(sensor->read(group.token()));
    auto joining = group.join();
    co_return co_await joining;
}

/// One read, driven to its end.
async::Outcome<double> readOnce(modbus::RegisterSensor &sensor) {
    return test::drive(sensor.read({}));
}

/// What mbpoll (a Modbus client Vigil did not write) reads at @p address as @p type.
std::optional<double> mbpoll(quint16 port, int address, const QString &type, bool bigEndian) {
    QStringList args{QStringLiteral("-m"), QStringLiteral("tcp"),
                     QStringLiteral("-p"), QString::number(port),
                     QStringLiteral("-0"), QStringLiteral("-1"),
                     QStringLiteral("-r"), QString::number(address),
                     QStringLiteral("-t"), type};
    if (bigEndian)
        args << QStringLiteral("-B");
    args << QStringLiteral("127.0.0.1");
    QProcess p;
    p.start(QStringLiteral("mbpoll"), args);
    if (!p.waitForFinished(10000) || p.exitCode() != 0)
        return std::nullopt;
    // "[12]: \t-2.75" or "[0]: \t64302 (-1234)": the signed value is in brackets if there.
    static const QRegularExpression line(QStringLiteral("\\[\\d+\\]:\\s+(\\S+)(?: \\((\\S+)\\))?"));
    const auto m = line.match(QString::fromUtf8(p.readAllStandardOutput()));
    if (!m.hasMatch())
        return std::nullopt;
    return (m.captured(2).isEmpty() ? m.captured(1) : m.captured(2)).toDouble();
}
} // namespace

class TestModbusDevice : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decodesEveryTypeAndOrder();
    void agreesWithMbpoll();
    void batchesAdjacentRegisters();
    void neverPipelines();
    void namesExceptions();
    void reconnectsAfterTheServerRestarts();
    void failsFastWhileTheDeviceIsDown();
    void timesOutWithoutQtResends();
};

void TestModbusDevice::decodesEveryTypeAndOrder() {
    ModbusPeer peer(everyTypeLayout());
    QVERIFY2(peer.start(), qPrintable(peer.why()));
    Sensors sensors;
    int address = 0;
    for (const QString &type : modbus::typeNames())
        for (const QString &order : modbus::orderNames()) {
            sensors.add(spec(peer, Table::Holding, address, *modbus::parseDataType(type),
                             *modbus::parseWordOrder(order)));
            address += 4;
        }
    auto outcome = test::drive(readTogether(sensors.list));
    QVERIFY(outcome.isOk());
    std::size_t i = 0;
    for (const QString &type : modbus::typeNames())
        for (const QString &order : modbus::orderNames()) {
            const auto &r = outcome.value()[i++];
            QVERIFY2(r.isOk(), qPrintable(type + u' ' + order + u' ' + r.errorMessage()));
            const double expected = sample(*modbus::parseDataType(type));
            QVERIFY2(r.value() == expected ||
                         (type == QLatin1String("float64") && qFuzzyCompare(r.value(), expected)),
                     qPrintable(QStringLiteral("%1 %2: %3, not %4")
                                    .arg(type, order)
                                    .arg(r.value(), 0, 'g', 17)
                                    .arg(expected, 0, 'g', 17)));
        }
    // The other tables, and scale and offset.
    RegisterSpec scaled = spec(peer, Table::Input, 7, DataType::Int16);
    scaled.scale = 0.5;
    scaled.offset = -10;
    auto &input = sensors.add(scaled);
    RegisterSpec coilSpec = spec(peer, Table::Coil, 3, DataType::UInt16);
    auto &coil = sensors.add(coilSpec);
    auto &offCoil = sensors.add(spec(peer, Table::Coil, 4, DataType::UInt16));
    QCOMPARE(readOnce(input).value(), 77 * 0.5 - 10);
    QCOMPARE(readOnce(coil).value(), 1.0);
    QCOMPARE(readOnce(offCoil).value(), 0.0);
    // Closing disconnects without a word: an operator's own stop is no lost connection.
    sensors.close();
    QCOMPARE(sensors.log,
             QStringList{QStringLiteral("Modbus 127.0.0.1:%1: connected").arg(peer.port())});
}

void TestModbusDevice::agreesWithMbpoll() {
    ModbusPeer peer(everyTypeLayout());
    QVERIFY2(peer.start(), qPrintable(peer.why()));
    Sensors sensors;
    // mbpoll knows 16-bit registers and 32-bit int and float, high word first with -B (ABCD)
    // or low word first without (CDAB).
    struct Case {
        DataType type;
        WordOrder order;
        const char *mbpollType;
        bool bigEndian;
    };
    const Case cases[] = {{DataType::Int16, WordOrder::ABCD, "4", false},
                          {DataType::Int32, WordOrder::ABCD, "4:int", true},
                          {DataType::Int32, WordOrder::CDAB, "4:int", false},
                          {DataType::Float32, WordOrder::ABCD, "4:float", true},
                          {DataType::Float32, WordOrder::CDAB, "4:float", false}};
    for (const auto &c : cases) {
        const int address = (int(c.type) * 4 + int(c.order)) * 4;
        const auto theirs =
            mbpoll(peer.port(), address, QString::fromLatin1(c.mbpollType), c.bigEndian);
        QVERIFY2(theirs, "mbpoll failed");
        const auto ours =
            readOnce(sensors.add(spec(peer, Table::Holding, address, c.type, c.order)));
        QVERIFY(ours.isOk());
        QCOMPARE(ours.value(), *theirs);
    }
}

void TestModbusDevice::batchesAdjacentRegisters() {
    ModbusPeer peer(everyTypeLayout());
    QVERIFY2(peer.start(), qPrintable(peer.why()));
    Sensors sensors;
    for (int a = 100; a < 150; ++a)
        sensors.add(spec(peer, Table::Holding, a, DataType::UInt16));
    sensors.add(spec(peer, Table::Holding, 150, DataType::Float32)); // 150-151, adjacent
    auto first = test::drive(readTogether(sensors.list));
    QVERIFY(first.isOk());
    for (const auto &r : first.value())
        QVERIFY(r.isOk());
    QCOMPARE(peer.requests(), 1); // 52 registers, one request
    const QJsonArray reads = peer.stats().value(QStringLiteral("reads")).toArray();
    QCOMPARE(reads.last().toArray(), (QJsonArray{3, 100, 52}));

    // A gap is never bridged: the registers between may not exist.
    Sensors gapped;
    gapped.add(spec(peer, Table::Holding, 200, DataType::UInt16));
    gapped.add(spec(peer, Table::Holding, 210, DataType::UInt16));
    QVERIFY(test::drive(readTogether(gapped.list)).isOk());
    QCOMPARE(peer.requests(), 3);

    // A device that takes fewer per request: 52 registers at 10 each are 6 requests.
    Sensors narrow;
    for (int a = 100; a < 152; ++a) {
        RegisterSpec s = spec(peer, Table::Holding, a, DataType::UInt16);
        s.maxPerRequest = 10;
        narrow.add(s);
    }
    QVERIFY(test::drive(readTogether(narrow.list)).isOk());
    QCOMPARE(peer.requests(), 3 + 6);
}

void TestModbusDevice::neverPipelines() {
    // Each answer is held back 50 ms: a client that sent before the last answer came would have
    // two open at the proxy.
    ModbusPeer peer(everyTypeLayout(), {50, -1});
    QVERIFY2(peer.start(), qPrintable(peer.why()));
    Sensors sensors;
    sensors.add(spec(peer, Table::Holding, 0, DataType::Int16));
    sensors.add(spec(peer, Table::Holding, 20, DataType::Int16)); // not adjacent: its own request
    sensors.add(spec(peer, Table::Input, 7, DataType::Int16));
    sensors.add(spec(peer, Table::Coil, 3, DataType::UInt16));
    for (int round = 0; round < 3; ++round) {
        auto outcome = test::drive(readTogether(sensors.list));
        QVERIFY(outcome.isOk());
        for (const auto &r : outcome.value())
            QVERIFY2(r.isOk(), qPrintable(r.errorMessage()));
    }
    const QJsonObject stats = peer.stats();
    QCOMPARE(stats.value(QStringLiteral("requests")).toInt(), 12);
    QCOMPARE(stats.value(QStringLiteral("max_open")).toInt(), 1);
    QCOMPARE(stats.value(QStringLiteral("connections")).toInt(), 1); // one per device
}

void TestModbusDevice::namesExceptions() {
    ModbusPeer peer(everyTypeLayout(), {0, 500});
    QVERIFY2(peer.start(), qPrintable(peer.why()));
    Sensors sensors;
    // pymodbus holds 3,000 registers: a float32 at 2999 reaches past them.
    auto outside = readOnce(sensors.add(spec(peer, Table::Holding, 2999, DataType::Float32)));
    QVERIFY(!outside.isOk());
    QCOMPARE(outside.errorMessage(), QStringLiteral("Modbus exception 2 (illegal data address)"));
    auto busy = readOnce(sensors.add(spec(peer, Table::Holding, 500, DataType::UInt16)));
    QCOMPARE(busy.errorMessage(), QStringLiteral("Modbus exception 6 (server device busy)"));

    // A merged request refused for one member's address is split: the good ones still read.
    Sensors mixed;
    mixed.add(spec(peer, Table::Holding, 2997, DataType::UInt16));
    mixed.add(spec(peer, Table::Holding, 2998, DataType::UInt16));
    mixed.add(spec(peer, Table::Holding, 2999, DataType::Float32));
    for (int round = 0; round < 2; ++round) {
        auto outcome = test::drive(readTogether(mixed.list));
        QVERIFY(outcome.isOk());
        QVERIFY(outcome.value()[0].isOk());
        QVERIFY(outcome.value()[1].isOk());
        QCOMPARE(outcome.value()[2].errorMessage(),
                 QStringLiteral("Modbus exception 2 (illegal data address)"));
    }
    // 2 above, then 1 merged + 3 alone, then 3 alone: the split is remembered.
    QCOMPARE(peer.requests(), 2 + 4 + 3);
}

void TestModbusDevice::reconnectsAfterTheServerRestarts() {
    ModbusPeer peer(everyTypeLayout());
    QVERIFY2(peer.start(), qPrintable(peer.why()));
    Sensors sensors;
    auto &sensor = sensors.add(spec(peer, Table::Holding, 0, DataType::Int16), 500ms);
    QCOMPARE(readOnce(sensor).value(), -1234.0);
    peer.kill();
    auto down = readOnce(sensor);
    QVERIFY(!down.isOk());
    peer.start(); // the same port, as a rebooted PLC
    std::optional<double> back;
    QElapsedTimer t;
    t.start();
    while (!back && t.elapsed() < 20000) {
        auto r = readOnce(sensor);
        if (r.isOk())
            back = r.value();
        else
            test::spin(100ms); // a poller's interval
    }
    QCOMPARE(back.value_or(0), -1234.0);
    const auto *device = sensors.pool.find(QStringLiteral("127.0.0.1"), peer.port());
    QVERIFY(device);
    QCOMPARE(device->state(), modbus::ModbusDevice::State::Connected);
    QVERIFY2(sensors.log.join(u'\n').contains(QStringLiteral("connection lost")) ||
                 sensors.log.join(u'\n').contains(QStringLiteral("cannot connect")),
             qPrintable(sensors.log.join(u'\n')));
    QVERIFY(sensors.log.last().contains(QStringLiteral("connected again, reading")));
    QCOMPARE(sensors.log.size(), 3); // connected, one line for the outage, back
}

void TestModbusDevice::failsFastWhileTheDeviceIsDown() {
    Sensors sensors;
    RegisterSpec s;
    s.host = QStringLiteral("127.0.0.1");
    s.port = util::freeLoopbackPort(); // nothing listens
    auto &sensor = sensors.add(s, 3s);
    auto first = readOnce(sensor);
    QVERIFY(!first.isOk());
    QVERIFY2(first.errorMessage().startsWith(QStringLiteral("reconnecting #1 (")),
             qPrintable(first.errorMessage()));
    // Within the backoff (0.5 s) the next read does not try again (that would be #2): it says
    // the state at once.
    auto second = readOnce(sensor);
    QVERIFY(!second.isOk());
    QVERIFY2(second.errorMessage().startsWith(QStringLiteral("reconnecting #1 (")),
             qPrintable(second.errorMessage()));
    QCOMPARE(sensors.log.size(), 1); // one line per outage
}

void TestModbusDevice::timesOutWithoutQtResends() {
    ModbusPeer peer(everyTypeLayout(), {1500, -1}); // answers after 1.5 s
    QVERIFY2(peer.start(), qPrintable(peer.why()));
    Sensors sensors;
    auto &sensor = sensors.add(spec(peer, Table::Holding, 0, DataType::Int16), 300ms);
    auto r = readOnce(sensor);
    QVERIFY(!r.isOk());
    QVERIFY(r.errorMessage().startsWith(QStringLiteral("no answer within")));
    test::spin(2000ms); // Qt 6.4 would have resent it three times by now, once a second
    QCOMPARE(peer.requests(), 1);
}

QTEST_GUILESS_MAIN(TestModbusDevice)
#include "tst_modbusdevice.moc"
