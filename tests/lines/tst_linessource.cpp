// SPDX-License-Identifier: Apache-2.0
// Line sources against real peers: a socat pty pair written at 1 kHz by another process, a
// loopback TCP server and UDP datagrams.
#include "asynctest.h"

#include "lines/linessource.h"
#include "sensors/sensorhub.h"
#include "util/childprocess.h"

#include <QFileInfo>
#include <QProcess>
#include <QSerialPort>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

using namespace vigil;
using namespace std::chrono_literals;

namespace {
/// A socat pty pair: the test's end (a) and Vigil's (b).
struct PtyPair {
    QTemporaryDir dir;
    QProcess socat;
    QString a() const { return dir.filePath(QStringLiteral("a")); }
    QString b() const { return dir.filePath(QStringLiteral("b")); }
    bool start() {
        socat.start(QStringLiteral("socat"), {QStringLiteral("pty,raw,echo=0,link=") + a(),
                                              QStringLiteral("pty,raw,echo=0,link=") + b()});
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 5000 && !(QFileInfo::exists(a()) && QFileInfo::exists(b())))
            test::spin(20ms);
        return QFileInfo::exists(a()) && QFileInfo::exists(b());
    }
    void stop() {
        socat.terminate();
        socat.waitForFinished(5000);
    }
    ~PtyPair() { stop(); }
};

/// A source and its hub; stop() before it goes.
struct Reader {
    async::RealClock clock;
    sensors::SensorHub hub{clock};
    lines::LinesSource source;
    QStringList log;
    Reader(const lines::LineSpec &spec)
        : source(lines::linesSourceId(spec), spec, hub, clock) {
        QObject::connect(&source, &lines::LinesSource::logMessage,
                         [this](const QString &l) { log << l; });
        source.start();
    }
    ~Reader() { QVERIFY(test::drive(source.stop()).isOk()); }
    qint64 ok(const QString &field) {
        const QString id = source.seriesId(field);
        return hub.contains(id) ? hub.stats(id).ok : 0;
    }
};

/// Runs tests/support/line_writer.py against @p path; its output line.
QString writeLines(const QString &path, const QString &format, int count, int rateHz,
                   int badEvery) {
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            {QStringLiteral(VIGIL_TEST_SUPPORT_DIR "/line_writer.py"), path, format,
             QString::number(count), QString::number(rateHz), QStringLiteral("4"),
             QString::number(badEvery)});
    while (p.state() != QProcess::NotRunning) // the source reads meanwhile, on this loop
        test::spin(20ms);
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

lines::LineSpec serial(const QString &device, lines::LineFormat format) {
    lines::LineSpec s;
    s.device = device;
    s.format = format;
    s.timestamp = format == lines::LineFormat::Json ? QStringLiteral("/ts") : QStringLiteral("ts");
    if (format == lines::LineFormat::Json)
        s.fields = {{QStringLiteral("seq"), QStringLiteral("/seq")},
                    {QStringLiteral("v1"), QStringLiteral("/v1")},
                    {QStringLiteral("v2"), QStringLiteral("/v2")}};
    return s;
}
} // namespace

class TestLinesSource : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        if (QStandardPaths::findExecutable(QStringLiteral("socat")).isEmpty())
            QSKIP("socat is not installed (Debian package socat)");
    }

    void readsAPtyAt1kHz_data() {
        QTest::addColumn<int>("format");
        QTest::newRow("csv") << int(lines::LineFormat::Csv);
        QTest::newRow("key=value") << int(lines::LineFormat::Kv);
        QTest::newRow("json") << int(lines::LineFormat::Json);
    }
    void readsAPtyAt1kHz() {
        QFETCH(int, format);
        PtyPair pty;
        QVERIFY(pty.start());
        Reader r(serial(pty.b(), lines::LineFormat(format)));
        QTRY_VERIFY_WITH_TIMEOUT(r.source.isOpen(), 10000);
        const QString names[] = {QStringLiteral("csv"), QStringLiteral("kv"),
                                 QStringLiteral("json")};
        QCOMPARE(writeLines(pty.a(), names[format], 2000, 1000, 100),
                 QStringLiteral("wrote 2000 bad 20"));
        QTRY_COMPARE_WITH_TIMEOUT(r.ok(QStringLiteral("seq")), qint64(2000), 10000);
        QCOMPARE(r.ok(QStringLiteral("v1")), qint64(1980)); // "oops" in v1 of every 100th line
        QCOMPARE(r.ok(QStringLiteral("v2")), qint64(2000));
        QCOMPARE(r.source.malformed(), qint64(20));
        QCOMPARE(r.hub.stats(r.source.seriesId(QStringLiteral("seq"))).lastValue, 1999.0);
        // The line's own time: receive minus ts is a small, sane delay.
        const double delay = r.hub.stats(r.source.seriesId(QStringLiteral("seq"))).lastLatencyMs;
        QVERIFY2(delay >= 0 && delay < 5000, qPrintable(QString::number(delay)));
        QCOMPARE(r.hub.contains(r.source.seriesId(QStringLiteral("ts"))), false);
        // One log line for the kind of problem, not twenty.
        QCOMPARE(r.log.filter(QStringLiteral("malformed")).size(), 1);
    }

    void reopensAClosedPtyAndTakesCommands() {
        PtyPair pty;
        QVERIFY(pty.start());
        Reader r(serial(pty.b(), lines::LineFormat::Kv));
        QTRY_VERIFY_WITH_TIMEOUT(r.source.isOpen(), 10000);
        QCOMPARE(writeLines(pty.a(), QStringLiteral("kv"), 10, 1000, 0),
                 QStringLiteral("wrote 10 bad 0"));
        QTRY_COMPARE_WITH_TIMEOUT(r.ok(QStringLiteral("seq")), qint64(10), 10000);
        // A command for the instrument arrives at its end.
        QSerialPort instrument(pty.a());
        QVERIFY(instrument.open(QIODevice::ReadWrite));
        QString why;
        QVERIFY2(r.source.writeLine("*IDN?", &why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT((instrument.waitForReadyRead(10), instrument.canReadLine()), 5000);
        QCOMPARE(instrument.readLine(), QByteArray("*IDN?\n"));
        instrument.close();
        // The pty goes away (a pulled USB adapter) and comes back.
        pty.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!r.source.isOpen(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(r.source.stateText().startsWith(QLatin1String("reopening #")),
                                 10000);
        QVERIFY(!r.source.writeLine("*IDN?", &why));
        QVERIFY(pty.start());
        QTRY_VERIFY_WITH_TIMEOUT(r.source.isOpen(), 20000);
        QCOMPARE(writeLines(pty.a(), QStringLiteral("kv"), 10, 1000, 0),
                 QStringLiteral("wrote 10 bad 0"));
        QTRY_COMPARE_WITH_TIMEOUT(r.ok(QStringLiteral("seq")), qint64(20), 10000);
        QVERIFY(!r.log.filter(QStringLiteral("lost")).isEmpty());
        // The outage is a gap in the series, not a line across it.
        QCOMPARE(r.hub.stats(r.source.seriesId(QStringLiteral("seq"))).errors, 1);
    }

    void readsATcpServerAndReconnects() {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        lines::LineSpec s;
        s.transport = lines::Transport::Tcp;
        s.url = QStringLiteral("tcp://127.0.0.1:%1").arg(server.serverPort());
        s.format = lines::LineFormat::Csv;
        s.columns = {QStringLiteral("a"), QStringLiteral("b")};
        Reader r(s);
        QTRY_VERIFY_WITH_TIMEOUT(server.hasPendingConnections(), 10000);
        QTcpSocket *peer = server.nextPendingConnection();
        peer->write("1,2\n3,4\n5,"); // the last line comes in two pieces
        test::spin(50ms);
        peer->write("6\n");
        QTRY_COMPARE_WITH_TIMEOUT(r.ok(QStringLiteral("a")), qint64(3), 10000);
        QCOMPARE(r.hub.stats(r.source.seriesId(QStringLiteral("b"))).lastValue, 6.0);
        QString why;
        QVERIFY(r.source.writeLine("START", &why));
        QTRY_VERIFY_WITH_TIMEOUT(peer->canReadLine(), 5000);
        QCOMPARE(peer->readLine(), QByteArray("START\n"));
        peer->close(); // the server drops it: Vigil connects again
        QTRY_VERIFY_WITH_TIMEOUT(server.hasPendingConnections(), 10000);
        server.nextPendingConnection()->write("7,8\n");
        QTRY_COMPARE_WITH_TIMEOUT(r.ok(QStringLiteral("a")), qint64(4), 10000);
    }

    void listensForUdpDatagrams() {
        lines::LineSpec s;
        s.transport = lines::Transport::Udp;
        s.url = QStringLiteral("udp://127.0.0.1:%1").arg(util::freeLoopbackPort());
        s.format = lines::LineFormat::Kv;
        Reader r(s);
        QTRY_VERIFY_WITH_TIMEOUT(r.source.isOpen(), 10000);
        QUdpSocket sender;
        const quint16 port = quint16(s.url.section(u':', -1).toUInt());
        sender.writeDatagram("x=1 y=2", QHostAddress::LocalHost, port);    // PlotJuggler's habit
        sender.writeDatagram("x=3\nx=4\n", QHostAddress::LocalHost, port); // two lines in one
        QTRY_COMPARE_WITH_TIMEOUT(r.ok(QStringLiteral("x")), qint64(3), 10000);
        QString why;
        QVERIFY(!r.source.writeLine("hello", &why));
        QCOMPARE(why, QStringLiteral("a UDP source only listens"));
    }
};

QTEST_GUILESS_MAIN(TestLinesSource)
#include "tst_linessource.moc"
