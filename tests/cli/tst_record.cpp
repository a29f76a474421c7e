// SPDX-License-Identifier: Apache-2.0
// `vigil record` as an operator runs it: the real binary, a real mosquitto or Vigil's Modbus
// plant in another process, a dashboard file.
#include "mosquittobroker.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using vigil::test::MosquittoBroker;

namespace {
void startVigil(QProcess &p, const QStringList &args) {
    auto env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(VIGIL_BINARY), args);
}

QString writeDashboard(const QTemporaryDir &dir, const QString &broker) {
    const QString path = dir.filePath(QStringLiteral("dash.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(QStringLiteral(R"({"sensors": [{"type": "mqtt", "broker": "%1", "topic": "line/+",
        "unit": "m/s", "name": "{2}"}]})")
                .arg(broker)
                .toUtf8());
    return path;
}

QStringList csvRows(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll()).split(u'\n', Qt::SkipEmptyParts);
}
} // namespace

class TestRecord : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        if (MosquittoBroker::binary().isEmpty())
            QSKIP("mosquitto is not installed");
    }

    void helpNamesTheCommandAndItsExitCodes() {
        QProcess p;
        startVigil(p, {QStringLiteral("record"), QStringLiteral("--help")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(out.startsWith(QLatin1String("Usage: vigil record ")), qPrintable(out));
        QVERIFY(out.contains(QLatin1String("Exit code 0")));
        QVERIFY(out.contains(QLatin1String("2: usage error")));
        QVERIFY(!out.contains(QLatin1String("130")));
    }

    void rowsAndTheSummaryMatchWhatWasPublished() {
        MosquittoBroker broker;
        QVERIFY(broker.isRunning());
        // Retained: they reach the recorder as soon as it subscribes, whenever that is.
        QVERIFY(broker.publish(QStringLiteral("line/1"), "1.5", true));
        QVERIFY(broker.publish(QStringLiteral("line/2"), "2.5", true));
        QVERIFY(broker.publish(QStringLiteral("line/3"), "oops", true));
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("out.csv"));
        QProcess p;
        startVigil(p,
                   {QStringLiteral("record"), QStringLiteral("--dashboard"),
                    writeDashboard(dir, broker.url()), QStringLiteral("--out"), csv,
                    QStringLiteral("--duration"), QStringLiteral("2"), QStringLiteral("--quiet")});
        QVERIFY(p.waitForFinished(30000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(QRegularExpression(QStringLiteral("^recorded sensors=3 readings=3 timeouts=0 "
                                                   "errors=1 stale=0 wall_s=2\\.\\d\n$"))
                     .match(out)
                     .hasMatch(),
                 qPrintable(out));
        QVERIFY(p.readAllStandardError().isEmpty()); // --quiet
        const QStringList rows = csvRows(csv);
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[0], QStringLiteral("time,sensor_id,sensor,unit,value,error"));
        QVERIFY(rows.filter(QStringLiteral("line/1,1,m/s,1.5,")).size() == 1);
        QVERIFY(rows.filter(QStringLiteral("line/2,2,m/s,2.5,")).size() == 1);
        QVERIFY(rows.filter(QStringLiteral("line/3,3,m/s,,bad data")).size() == 1);
    }

    void ctrlCEndsARecordingWithItsSummary() {
        MosquittoBroker broker;
        QVERIFY(broker.isRunning());
        QVERIFY(broker.publish(QStringLiteral("line/1"), "7", true));
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("out.csv"));
        QProcess p;
        startVigil(p, {QStringLiteral("record"), QStringLiteral("--dashboard"),
                       writeDashboard(dir, broker.url()), QStringLiteral("--out"), csv});
        QTRY_VERIFY_WITH_TIMEOUT(csvRows(csv).size() == 2, 10000); // flushed within 0.5 s
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput().startsWith("recorded sensors=1 readings=1 "));
        QVERIFY(p.readAllStandardError().contains("connected, subscribed to line/+"));
    }

    void recordsAPlcAndAnInstrumentOnOneDashboard() {
        QProcess device; // Vigil's Modbus plant, as another process
        startVigil(device, {QStringLiteral("serve-demo"), QStringLiteral("--modbus")});
        QVERIFY(device.waitForReadyRead(10000));
        const QString url = QString::fromUtf8(device.readLine()).trimmed();
        QVERIFY2(url.startsWith(QLatin1String("modbus://127.0.0.1:")), qPrintable(url));
        const QString port = url.section(u':', -1);
        QProcess instrument; // Vigil's serial instrument on a pty, another process too
        startVigil(instrument, {QStringLiteral("serve-demo"), QStringLiteral("--serial"),
                                QStringLiteral("--rate-hz"), QStringLiteral("20")});
        QVERIFY(instrument.waitForReadyRead(10000));
        const QString pty = QString::fromUtf8(instrument.readLine()).trimmed();
        QVERIFY2(pty.startsWith(QLatin1String("/dev/pts/")), qPrintable(pty));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("plc.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("{\"sensors\": [{\"type\": \"modbus\", \"name\": \"temp\", "
                               "\"host\": \"127.0.0.1\", \"port\": %1, \"modicon\": 40001, "
                               "\"data_type\": \"float32\", \"interval_ms\": 200}, {\"type\": "
                               "\"modbus\", \"name\": \"nowhere\", \"host\": \"127.0.0.1\", "
                               "\"port\": %1, \"address\": 50, \"interval_ms\": 200}, "
                               "{\"type\": \"lines\", \"device\": \"%2\", \"columns\": [\"-\", "
                               "\"ts\", \"temp_c\", \"humidity_pct\", \"pressure_hpa\", "
                               "\"vbat_v\"], \"timestamp\": \"ts\"}]}")
                    .arg(port, pty)
                    .toUtf8());
        f.close();
        const QString csv = dir.filePath(QStringLiteral("out.csv"));
        QProcess p;
        startVigil(p, {QStringLiteral("record"), QStringLiteral("--dashboard"), path,
                       QStringLiteral("--out"), csv, QStringLiteral("--duration"),
                       QStringLiteral("2")});
        QVERIFY(p.waitForFinished(30000));
        for (QProcess *child : {&device, &instrument}) {
            child->kill();
            child->waitForFinished(5000);
        }
        QCOMPARE(p.exitCode(), 0);
        const QStringList rows = csvRows(csv);
        // The instrument's lines, 20 a second once the recorder opened its port.
        const QStringList lab = rows.filter(QStringLiteral(",temp_c,"));
        const QStringList temps = rows.filter(QStringLiteral(",temp,"));
        QVERIFY2(lab.size() >= 20, qPrintable(rows.join(u'\n')));
        for (const auto &row : lab) {
            const double v = row.section(u',', 4, 4).toDouble();
            QVERIFY2(v > 15 && v < 30, qPrintable(row));
        }
        QVERIFY2(temps.size() >= 5, qPrintable(rows.join(u'\n')));
        for (const auto &row : temps) {
            const double v = row.section(u',', 4, 4).toDouble();
            QVERIFY2(v > 130 && v < 170, qPrintable(row)); // Reactor_Temp, float32 ABCD
        }
        const QStringList missing = rows.filter(QStringLiteral(",nowhere,"));
        QVERIFY(!missing.isEmpty());
        QVERIFY(missing.first().endsWith(QLatin1String(",,unavailable")));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("Modbus 127.0.0.1:%1: connected").arg(port)),
                 qPrintable(err));
        QVERIFY(!err.contains(QLatin1String("lost")));
    }

    void aBrokenDashboardIsAUsageErrorNamingTheKey() {
        QTemporaryDir dir;
        const QString path = writeDashboard(dir, QStringLiteral("mqtt://ops:secret@b"));
        QProcess p;
        startVigil(p, {QStringLiteral("record"), QStringLiteral("--dashboard"), path});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(QLatin1String("sensors[0].broker: must not hold a user or password")),
                 qPrintable(err));
        QVERIFY(!err.contains(QLatin1String("secret")));
    }
};

QTEST_GUILESS_MAIN(TestRecord)
#include "tst_record.moc"
