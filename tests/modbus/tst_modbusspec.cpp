// SPDX-License-Identifier: Apache-2.0
// Register decoding, Modicon notation and request planning: pure functions, no device.
#include "modbus/modbusbatch.h"
#include "modbus/modbusspec.h"

#include <QTest>

using namespace vigil::modbus;

class TestModbusSpec : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decodesKnownLayouts_data();
    void decodesKnownLayouts();
    void encodeIsDecodeInverse();
    void readsModicon_data();
    void readsModicon();
    void refusesBadModicon();
    void namesExceptions();
    void plansAdjacentSpansTogether();
    void plansWithinTheLimit();
    void keepsSoloSpansAlone();
    void mergesPastSpansThatDoNotFit();
    void idsDifferByWhatIsRead();
};

void TestModbusSpec::decodesKnownLayouts_data() {
    QTest::addColumn<QList<quint16>>("words");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("order");
    QTest::addColumn<double>("value");
    // 0x41200000 is 10.0f; 0x4024000000000000 is 10.0; the words as they sit in the registers.
    QTest::newRow("float32 ABCD") << QList<quint16>{0x4120, 0x0000} << "float32"
                                  << "ABCD" << 10.0;
    QTest::newRow("float32 CDAB") << QList<quint16>{0x0000, 0x4120} << "float32"
                                  << "CDAB" << 10.0;
    QTest::newRow("float32 BADC") << QList<quint16>{0x2041, 0x0000} << "float32"
                                  << "BADC" << 10.0;
    QTest::newRow("float32 DCBA") << QList<quint16>{0x0000, 0x2041} << "float32"
                                  << "DCBA" << 10.0;
    QTest::newRow("int16 negative") << QList<quint16>{0xFFFE} << "int16"
                                    << "ABCD" << -2.0;
    QTest::newRow("uint16 the same bits") << QList<quint16>{0xFFFE} << "uint16"
                                          << "ABCD" << 65534.0;
    QTest::newRow("int16 byte-swapped") << QList<quint16>{0x0100} << "int16"
                                        << "BADC" << 1.0;
    QTest::newRow("int32 CDAB") << QList<quint16>{0x0002, 0x0001} << "int32"
                                << "CDAB" << 65538.0;
    QTest::newRow("uint32 top bit") << QList<quint16>{0x8000, 0x0000} << "uint32"
                                    << "ABCD" << 2147483648.0;
    QTest::newRow("int32 top bit") << QList<quint16>{0x8000, 0x0000} << "int32"
                                   << "ABCD" << -2147483648.0;
    QTest::newRow("float64 ABCD") << QList<quint16>{0x4024, 0, 0, 0} << "float64"
                                  << "ABCD" << 10.0;
    QTest::newRow("float64 CDAB, words reversed") << QList<quint16>{0, 0, 0, 0x4024} << "float64"
                                                  << "CDAB" << 10.0;
    QTest::newRow("int64 -1") << QList<quint16>{0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF} << "int64"
                              << "DCBA" << -1.0;
    QTest::newRow("int64 DCBA") << QList<quint16>{0x0100, 0, 0, 0} << "int64"
                                << "DCBA" << 1.0;
}

void TestModbusSpec::decodesKnownLayouts() {
    QFETCH(QList<quint16>, words);
    QFETCH(QString, type);
    QFETCH(QString, order);
    QFETCH(double, value);
    QCOMPARE(decodeRegisters(words.constData(), *parseDataType(type), *parseWordOrder(order)),
             value);
}

void TestModbusSpec::encodeIsDecodeInverse() {
    for (const QString &type : typeNames())
        for (const QString &order : orderNames()) {
            const DataType t = *parseDataType(type);
            const WordOrder o = *parseWordOrder(order);
            const double v = t == DataType::UInt16 || t == DataType::UInt32 ? 4242 : -42.5;
            const double expected =
                t == DataType::Float32 || t == DataType::Float64 ? v : std::trunc(v);
            const QList<quint16> words = encodeRegisters(v, t, o);
            QCOMPARE(words.size(), registerCount(t));
            QCOMPARE(decodeRegisters(words.constData(), t, o), expected);
        }
}

void TestModbusSpec::readsModicon_data() {
    QTest::addColumn<qint64>("reference");
    QTest::addColumn<int>("table");
    QTest::addColumn<int>("address");
    QTest::newRow("40001 is holding 0") << qint64(40001) << int(Table::Holding) << 0;
    QTest::newRow("30010 is input 9") << qint64(30010) << int(Table::Input) << 9;
    QTest::newRow("10001 is discrete 0") << qint64(10001) << int(Table::Discrete) << 0;
    QTest::newRow("00001 is coil 0") << qint64(1) << int(Table::Coil) << 0;
    QTest::newRow("six digits: 465536") << qint64(465536) << int(Table::Holding) << 65535;
    QTest::newRow("six digits: 300001") << qint64(300001) << int(Table::Input) << 0;
}

void TestModbusSpec::readsModicon() {
    QFETCH(qint64, reference);
    QFETCH(int, table);
    QFETCH(int, address);
    const auto parsed = parseModicon(reference, nullptr);
    QVERIFY(parsed);
    QCOMPARE(int(parsed->table), table);
    QCOMPARE(parsed->address, address);
}

void TestModbusSpec::refusesBadModicon() {
    QCOMPARE(modiconReference(Table::Holding, 0), 40001);
    QCOMPARE(modiconReference(Table::Coil, 9), 10);
    QCOMPARE(modiconReference(Table::Input, 9998), 39999);
    QCOMPARE(modiconReference(Table::Input, 9999), 310000); // past five digits
    QCOMPARE(modiconReference(Table::Holding, 65535), 465536);
    for (const qint64 bad :
         {qint64(0), qint64(20001), qint64(40000), qint64(50001), qint64(465537), qint64(200001)}) {
        QString why;
        QVERIFY2(!parseModicon(bad, &why), qPrintable(QString::number(bad)));
        QVERIFY(why.contains(QStringLiteral("not a Modicon reference")));
    }
}

void TestModbusSpec::namesExceptions() {
    QCOMPARE(exceptionText(2), QStringLiteral("Modbus exception 2 (illegal data address)"));
    QCOMPARE(exceptionText(6), QStringLiteral("Modbus exception 6 (server device busy)"));
    QCOMPARE(exceptionText(11), QStringLiteral("Modbus exception 11 (gateway target device "
                                               "failed to respond)"));
    QCOMPARE(exceptionText(99), QStringLiteral("Modbus exception 99"));
}

void TestModbusSpec::plansAdjacentSpansTogether() {
    // 2,000 registers in one table, asked for out of order, with a float across each pair.
    std::vector<Span> wanted;
    for (int a = 1999; a >= 0; --a)
        wanted.push_back({1, Table::Holding, a, 1});
    wanted.push_back({1, Table::Input, 0, 2});   // another table: its own request
    wanted.push_back({2, Table::Holding, 0, 1}); // another unit: its own request
    const auto batches = planAll(wanted);
    QCOMPARE(batches.size(), std::size_t(16 + 2)); // ceil(2000 / 125) + 2
    int covered = 0;
    for (const auto &b : batches) {
        QVERIFY(b.count <= kMaxRegistersPerRead);
        if (b.unitId == 1 && b.table == Table::Holding)
            covered += b.count;
    }
    QCOMPARE(covered, 2000);
    std::vector<Span> gap{{1, Table::Holding, 0, 1}, {1, Table::Holding, 2, 1}};
    QCOMPARE(planAll(gap).size(), std::size_t(2)); // address 1 may not exist
    std::vector<Span> overlap{{1, Table::Holding, 0, 2}, {1, Table::Holding, 1, 1}};
    QCOMPARE(planAll(overlap).size(), std::size_t(1)); // the same register read two ways
    QCOMPARE(planAll(overlap).front().count, 2);
}

void TestModbusSpec::plansWithinTheLimit() {
    std::vector<Span> wanted;
    for (int a = 0; a < 30; ++a)
        wanted.push_back({1, Table::Holding, a, 1, 10});
    const auto batches = planAll(wanted);
    QCOMPARE(batches.size(), std::size_t(3));
    for (const auto &b : batches)
        QCOMPARE(b.count, 10);
    // Bits: 16 per register of the limit, up to the protocol's 2,000.
    std::vector<Span> coils;
    for (int a = 0; a < 2500; ++a)
        coils.push_back({1, Table::Coil, a, 1});
    QCOMPARE(planAll(coils).size(), std::size_t(2));
}

void TestModbusSpec::keepsSoloSpansAlone() {
    std::vector<Span> wanted{{1, Table::Holding, 0, 1},
                             {1, Table::Holding, 1, 1, kMaxRegistersPerRead, true},
                             {1, Table::Holding, 2, 1}};
    const auto batches = planAll(wanted);
    QCOMPARE(batches.size(), std::size_t(3));
}

void TestModbusSpec::mergesPastSpansThatDoNotFit() {
    // A long span further left covers the head, past a short one that ends before it.
    std::vector<Span> left{
        {1, Table::Holding, 10, 1}, {1, Table::Holding, 0, 20}, {1, Table::Holding, 5, 2}};
    auto batches = planAll(left);
    QCOMPARE(batches.size(), std::size_t(1));
    QCOMPARE(batches[0].address, 0);
    QCOMPARE(batches[0].count, 20);
    // Rightwards, a span too wide to join is passed over, not an end: the next one fits.
    std::vector<Span> right{
        {1, Table::Holding, 0, 1, 2}, {1, Table::Holding, 1, 4, 10}, {1, Table::Holding, 1, 1, 10}};
    batches = planAll(right);
    QCOMPARE(batches.size(), std::size_t(2));
    QCOMPARE(batches[0].members.size(), std::size_t(2)); // 0 and the second 1, both within 2
}

void TestModbusSpec::idsDifferByWhatIsRead() {
    RegisterSpec a;
    a.host = QStringLiteral("plc");
    a.address = 10;
    a.dataType = DataType::Float32;
    RegisterSpec b = a;
    b.wordOrder = WordOrder::CDAB;
    QCOMPARE(registerId(a), QStringLiteral("modbus:plc:502/1/holding/10/float32"));
    QCOMPARE(registerId(b), QStringLiteral("modbus:plc:502/1/holding/10/float32/CDAB"));
    RegisterSpec coil = a;
    coil.table = Table::Coil;
    QCOMPARE(registerId(coil), QStringLiteral("modbus:plc:502/1/coil/10"));
    QCOMPARE(registerSpecProblem(a), QString());
    a.address = 65535;
    QVERIFY(registerSpecProblem(a).startsWith(QStringLiteral("address: ")));
}

QTEST_GUILESS_MAIN(TestModbusSpec)
#include "tst_modbusspec.moc"
