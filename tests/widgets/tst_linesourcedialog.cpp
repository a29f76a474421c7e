// SPDX-License-Identifier: Apache-2.0
// Add > Serial / TCP / UDP lines...: the dialog's checks, the session running what it adds, and
// "Send a line to ..." in a series' menu reaching a real TCP peer.
#include "asynctest.h"
#include "linesourcedialog.h"

#include "dashboard/monitoringsession.h"
#include "lines/linessource.h"
#include "sensors/sensorhub.h"

#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUdpSocket>

using namespace vigil;
using widgets::LineSourceDialog;

class TestLineSourceDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theDialogNamesTheField() {
        LineSourceDialog dialog;
        dialog.portBox()->setCurrentText(QString());
        QCOMPARE(dialog.problemLabel()->text(),
                 QStringLiteral("Port: is required for a serial port"));
        QVERIFY(!dialog.okButton()->isEnabled());
        dialog.portBox()->setCurrentText(QStringLiteral("/dev/ttyUSB0"));
        QVERIFY2(dialog.okButton()->isEnabled(), qPrintable(dialog.problemLabel()->text()));
        dialog.transportBox()->setCurrentText(QStringLiteral("udp"));
        QVERIFY(!dialog.portBox()->isEnabled());
        QCOMPARE(dialog.problemLabel()->text(), QStringLiteral("Address: must be udp://host:port"));
        dialog.urlEdit()->setText(QStringLiteral("udp://127.0.0.1:9870"));
        dialog.formatBox()->setCurrentText(QStringLiteral("json"));
        QVERIFY2(dialog.problemLabel()->text().startsWith(QLatin1String("Fields: ")),
                 qPrintable(dialog.problemLabel()->text()));
        dialog.fieldsEdit()->setText(QStringLiteral("temp=/s/t, rh=s/h"));
        QVERIFY2(dialog.problemLabel()->text().startsWith(QLatin1String("Fields: ")),
                 qPrintable(dialog.problemLabel()->text())); // "s/h" is no pointer
        dialog.fieldsEdit()->setText(QStringLiteral("temp=/s/t, rh=/s/h"));
        dialog.timestampEdit()->setText(QStringLiteral("/ts"));
        QString why;
        const auto c = dialog.config(&why);
        QVERIFY2(c, qPrintable(why));
        QCOMPARE(c->id(), QStringLiteral("lines:udp://127.0.0.1:9870"));
        QCOMPARE(c->lines.fields.size(), 2);
        // A box greyed out for this format does not count: no "only for json" to untangle.
        dialog.formatBox()->setCurrentText(QStringLiteral("kv"));
        QVERIFY2(dialog.okButton()->isEnabled(), qPrintable(dialog.problemLabel()->text()));
    }

    void anAddedSourceFeedsTheSessionAndTakesCommands() {
        QTcpServer instrument; // a serial-to-Ethernet converter, say
        QVERIFY(instrument.listen(QHostAddress::LocalHost));
        LineSourceDialog dialog;
        dialog.transportBox()->setCurrentText(QStringLiteral("tcp"));
        dialog.urlEdit()->setText(
            QStringLiteral("tcp://127.0.0.1:%1").arg(instrument.serverPort()));
        dialog.formatBox()->setCurrentText(QStringLiteral("kv"));
        QString why;
        const auto c = dialog.config(&why);
        QVERIFY2(c, qPrintable(why));
        dashboard::MonitoringSession session(async::Clock::system());
        QVERIFY(session.addSensor(*c));
        QTRY_VERIFY_WITH_TIMEOUT(instrument.hasPendingConnections(), 10000);
        QTcpSocket *peer = instrument.nextPendingConnection();
        peer->write("volts=12.5 amps=0.4\n");
        const QString volts = session.lineSources().first()->seriesId(QStringLiteral("volts"));
        QTRY_VERIFY_WITH_TIMEOUT(
            session.hub().contains(volts) && session.hub().stats(volts).ok == 1, 10000);
        QCOMPARE(session.current().sensors.size(), 1); // saved as the source, not its series
        QCOMPARE(session.current().sensors.first().id(), c->id());
        QWidget parent;
        auto *menu = new QMenu(&parent);
        QStringList log;
        widgets::addLineCommandAction(menu, session, volts,
                                      [&log](const QString &line) { log << line; });
        QCOMPARE(menu->actions().size(), 1);
        QVERIFY(menu->actions().first()->text().startsWith(QLatin1String("Send a line to tcp://")));
        menu->actions().first()->trigger();
        auto *ask = parent.findChild<QInputDialog *>();
        QVERIFY(ask);
        ask->setTextValue(QStringLiteral("MEAS?"));
        ask->accept();
        QTRY_VERIFY_WITH_TIMEOUT(peer->canReadLine(), 5000);
        QCOMPARE(peer->readLine(), QByteArray("MEAS?\n"));
        QCOMPARE(log.size(), 1);
        QVERIFY(log.first().startsWith(QLatin1String("Sent to tcp://")));
        QVERIFY(test::drive(session.shutdown()).isOk());
    }
};

QTEST_MAIN(TestLineSourceDialog)
#include "tst_linesourcedialog.moc"
