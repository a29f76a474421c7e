// SPDX-License-Identifier: Apache-2.0
// Lines into values: CSV with a header or fixed columns, key=value, JSON; and what is malformed.
#include "lines/linespec.h"

#include <QTest>

using namespace vigil::lines;

namespace {
LineSpec spec(LineFormat format) {
    LineSpec s;
    s.format = format;
    return s;
}
} // namespace

class TestLineParser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void csvTakesItsHeader() {
        LineSpec s = spec(LineFormat::Csv);
        s.timestamp = QStringLiteral("ts");
        LineParser p(s);
        QVERIFY(p.parse("ts,temp,rh\r").header);
        const ParsedLine l = p.parse("1796148670346, 21.5 ,40");
        QVERIFY(l.problem.isEmpty());
        QCOMPARE(l.timeMs, std::optional<qint64>(1796148670346));
        QCOMPARE(l.values.size(), 2);
        QCOMPARE(l.values[0], qMakePair(QStringLiteral("temp"), 21.5));
        QCOMPARE(l.values[1], qMakePair(QStringLiteral("rh"), 40.0));
        // A restarted instrument prints its header again; any other line without a number (a
        // reply to *IDN?) is malformed, and never renames the series.
        QVERIFY(p.parse("ts,temp,rh").header);
        const ParsedLine idn = p.parse("ACME,MODEL42,SN1234");
        QVERIFY(!idn.header);
        QVERIFY2(idn.problem.startsWith(QLatin1String("no number in the line")),
                 qPrintable(idn.problem));
        QCOMPARE(p.columns(),
                 (QStringList{QStringLiteral("ts"), QStringLiteral("temp"), QStringLiteral("rh")}));
    }

    void csvKeepsItsSeparator() {
        LineParser p(spec(LineFormat::Csv));
        QVERIFY(p.parse("ts;temp;rh;").header); // a trailing separator: an unnamed column
        const ParsedLine l = p.parse("1796148670346;21,5;40;");
        QVERIFY2(l.problem.isEmpty(), qPrintable(l.problem));
        QCOMPARE(l.values.size(), 3); // ts is no timestamp here: it was not named one
        QCOMPARE(l.values[1], qMakePair(QStringLiteral("temp"), 21.5)); // a decimal comma
    }

    void csvWithFixedColumns() {
        LineSpec s = spec(LineFormat::Csv);
        s.columns = {QStringLiteral("a"), QStringLiteral("b")};
        LineParser p(s);
        QCOMPARE(p.parse("1\t2").values.size(), 2); // tabs when there is no comma
        LineSpec skipping = s;
        skipping.columns = {QStringLiteral("-"), QStringLiteral("b")};
        LineParser q(skipping);
        QCOMPARE(q.parse("1,2").values, (QList<QPair<QString, double>>{{QStringLiteral("b"), 2}}));
        const ParsedLine wrong = p.parse("x,y"); // no header with fixed columns: malformed
        QVERIFY(!wrong.header);
        QVERIFY(!wrong.problem.isEmpty());
    }

    void malformedLinesSayWhy_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("problem");
        QTest::addColumn<int>("values");
        QTest::newRow("too few cells")
            << QByteArray("1,2") << QStringLiteral("2 values for 3 columns") << 0;
        QTest::newRow("text for a number")
            << QByteArray("1,oops,3") << QStringLiteral("b: not a number: \"oops\"") << 2;
        QTest::newRow("empty line") << QByteArray("  ") << QStringLiteral("an empty line") << 0;
        QTest::newRow("an empty cell is no value, not a problem")
            << QByteArray("1,,3") << QString() << 2;
    }
    void malformedLinesSayWhy() {
        QFETCH(QByteArray, line);
        QFETCH(QString, problem);
        QFETCH(int, values);
        LineParser p(spec(LineFormat::Csv));
        QVERIFY(p.parse("a,b,c").header);
        const ParsedLine l = p.parse(line);
        QCOMPARE(l.problem, problem);
        QCOMPARE(l.values.size(), values);
    }

    void valuesBeforeAHeader() {
        LineParser p(spec(LineFormat::Csv));
        QCOMPARE(p.parse("1,2").problem,
                 QStringLiteral("values before a header line (or give columns)"));
    }

    void keyValuePairs() {
        LineSpec s = spec(LineFormat::Kv);
        s.timestamp = QStringLiteral("t");
        LineParser p(s);
        const ParsedLine l = p.parse("t=2026-12-01T10:00:00Z temp=21.5, rh:40;p=1013");
        QVERIFY2(l.problem.isEmpty(), qPrintable(l.problem));
        QCOMPARE(l.values.size(), 3);
        QCOMPARE(l.timeMs, std::optional<qint64>(1796119200000));
        QCOMPARE(p.parse("Temp:21.5").values.size(), 1);
        const ParsedLine bad = p.parse("temp=21.5 garbage rh=x");
        QCOMPARE(bad.values.size(), 1);
        QVERIFY(bad.problem.startsWith(QLatin1String("rh: not a number")));
    }

    void jsonThroughPointers() {
        LineSpec s = spec(LineFormat::Json);
        s.fields = {{QStringLiteral("temp"), QStringLiteral("/s/t")},
                    {QStringLiteral("rh"), QStringLiteral("/s/h")}};
        s.timestamp = QStringLiteral("/ts");
        LineParser p(s);
        const ParsedLine l = p.parse("{\"ts\": 1796148670, \"s\": {\"t\": 21.5, \"h\": 40}}");
        QVERIFY2(l.problem.isEmpty(), qPrintable(l.problem));
        QCOMPARE(l.values.size(), 2);
        QCOMPARE(l.timeMs, std::optional<qint64>(1796148670000)); // seconds, told by size
        const ParsedLine broken = p.parse("{\"s\": {\"t\": 1");
        QVERIFY(!broken.problem.isEmpty());
        QCOMPARE(broken.values.size(), 0);
    }

    void specProblemsNameTheKey() {
        LineSpec s;
        QVERIFY(lineSpecProblem(s).startsWith(QLatin1String("device: ")));
        s.device = QStringLiteral("/dev/ttyUSB0");
        QCOMPARE(lineSpecProblem(s), QString());
        s.framing = QStringLiteral("9N1");
        QVERIFY(lineSpecProblem(s).startsWith(QLatin1String("framing: ")));
        s.transport = Transport::Udp;
        s.url = QStringLiteral("tcp://127.0.0.1:9000");
        QVERIFY(lineSpecProblem(s).startsWith(QLatin1String("url: must be udp://")));
        s.url = QStringLiteral("udp://localhost:9000"); // a name would bind every interface
        QVERIFY(lineSpecProblem(s).startsWith(QLatin1String("url: name the address")));
        s.url = QStringLiteral("udp://127.0.0.1:9000");
        QCOMPARE(lineSpecProblem(s), QString());
        QCOMPARE(linesSourceId(s), QStringLiteral("lines:udp://127.0.0.1:9000"));
    }
};

QTEST_GUILESS_MAIN(TestLineParser)
#include "tst_lineparser.moc"
