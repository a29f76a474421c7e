// SPDX-License-Identifier: Apache-2.0
// The offline serial demo: Vigil's own instrument on a pseudo-terminal, read through a session
// by a serial line source, and taking commands.
#include "asynctest.h"

#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"
#include "demo/serialinstrument.h"
#include "lines/linessource.h"
#include "sensors/sensorhub.h"

#include <QSerialPort>
#include <QTest>

using namespace vigil;
using namespace std::chrono_literals;

class TestSerialInstrument : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theDashboardReadsTheInstrument() {
        demo::SerialInstrument instrument;
        QVERIFY2(instrument.open(), qPrintable(instrument.errorString()));
        QVERIFY(instrument.devicePath().startsWith(QLatin1String("/dev/pts/")));
        const auto config =
            demo::serialInstrumentDashboard(instrument.devicePath(), instrument.columns());
        dashboard::ConfigError error; // a dashboard a file could hold
        QVERIFY2(dashboard::parseDashboard(dashboard::serializeDashboard(config), &error),
                 qPrintable(error.text()));
        dashboard::MonitoringSession session(async::Clock::system());
        QVERIFY(test::drive(session.apply(config)).isOk());
        auto *source = session.lineSources().value(0);
        QVERIFY(source);
        const QString temp = source->seriesId(QStringLiteral("temp_c"));
        QTRY_VERIFY_WITH_TIMEOUT(session.hub().contains(temp) && session.hub().stats(temp).ok >= 10,
                                 10000);
        auto &hub = session.hub();
        QCOMPARE(source->seriesIds().size(), 4); // seq is skipped ("-"), ts is the time
        const double v = hub.stats(temp).lastValue;
        QVERIFY2(v > 15 && v < 30, qPrintable(QString::number(v)));
        QCOMPARE(source->malformed(), 0);
        QCOMPARE(session.layout().charts.size(), 4); // a chart per quantity
        // A command through the session reaches the instrument, which obeys it.
        QString why;
        QVERIFY2(session.writeLine(source->id(), "RATE 200", &why), qPrintable(why));
        QTRY_COMPARE_WITH_TIMEOUT(instrument.commands(), QStringList{QStringLiteral("RATE 200")},
                                  5000);
        QCOMPARE(instrument.rateHz(), 200.0);
        const qint64 before = hub.stats(temp).ok;
        test::spin(1000ms);
        QVERIFY2(hub.stats(temp).ok - before > 100, // 20 a second before
                 qPrintable(QString::number(hub.stats(temp).ok - before)));
        QVERIFY(test::drive(session.shutdown()).isOk());
    }

    void itWaitsForAReaderAndStopsAtItsLimit() {
        demo::SerialInstrument instrument(1000, 3);
        instrument.setLimit(500);
        QVERIFY(instrument.open());
        QCOMPARE(instrument.columns(),
                 (QStringList{QStringLiteral("c1"), QStringLiteral("c2"), QStringLiteral("c3")}));
        test::spin(300ms);
        QCOMPARE(instrument.linesWritten(), qint64(0)); // nobody has the port open yet
        QSerialPort port(instrument.devicePath());      // reads without blocking the loop
        QVERIFY(port.open(QIODevice::ReadOnly));
        bool finished = false;
        connect(&instrument, &demo::SerialInstrument::finished, this, [&] { finished = true; });
        QByteArray read;
        QElapsedTimer t;
        t.start();
        while (!finished && t.elapsed() < 10000) {
            test::spin(20ms);
            read += port.readAll();
        }
        QVERIFY(finished); // the limit, and the half second for the reader to drain
        read += port.readAll();
        QCOMPARE(instrument.linesWritten(), qint64(500));
        QCOMPARE(instrument.linesLost(), qint64(0));
        QCOMPARE(read.count('\n'), 500); // every line reached the reader
        QVERIFY(read.startsWith("0,"));
    }
};

QTEST_GUILESS_MAIN(TestSerialInstrument)
#include "tst_serialinstrument.moc"
