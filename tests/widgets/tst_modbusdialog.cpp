// SPDX-License-Identifier: Apache-2.0
// Add > Modbus register... and Demo > Modbus plant: the dialog's checks, its test read through
// the session against Vigil's Modbus plant, and the plant demo in the real window.
#include "asynctest.h"
#include "shutdown.h"

#include "dashboardview.h"
#include "eventlog.h"
#include "mainwindow.h"
#include "modbusdialog.h"

#include "dashboard/monitoringsession.h"
#include "demo/modbusplant.h"
#include "sensors/sensorhub.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>

using namespace vigil;
using widgets::ModbusDialog;

class TestModbusDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("VigilTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_modbusdialog"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                           m_dir.filePath(QStringLiteral("config")));
    }

    void theDialogNamesTheField() {
        ModbusDialog dialog(nullptr);
        QVERIFY(!dialog.okButton()->isEnabled());
        QCOMPARE(dialog.problemLabel()->text(), QStringLiteral("Name: must not be empty"));
        dialog.nameEdit()->setText(QStringLiteral("flow"));
        QCOMPARE(dialog.problemLabel()->text(), QStringLiteral("Host: must not be empty"));
        dialog.hostEdit()->setText(QStringLiteral("plc1"));
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(!dialog.testButton()->isEnabled()); // nothing to read with
        dialog.typeBox()->setCurrentText(QStringLiteral("float64"));
        dialog.addressBox()->setValue(65533);
        QVERIFY2(dialog.problemLabel()->text().startsWith(QLatin1String("Address: 4 registers")),
                 qPrintable(dialog.problemLabel()->text()));
        // Modicon: the reference names the table, and the file gets it 0-based.
        dialog.typeBox()->setCurrentText(QStringLiteral("float32"));
        dialog.modiconBox()->setChecked(true);
        dialog.addressBox()->setValue(30011);
        QVERIFY(!dialog.tableBox()->isEnabled());
        QCOMPARE(dialog.tableBox()->currentText(), QStringLiteral("input"));
        QString why;
        auto c = dialog.config(&why);
        QVERIFY2(c, qPrintable(why));
        QCOMPARE(c->modbus.table, modbus::Table::Input);
        QCOMPARE(c->modbus.address, 10);
        dialog.addressBox()->setValue(20001);
        QVERIFY2(dialog.problemLabel()->text().startsWith(QLatin1String("Address: 20001 is not")),
                 qPrintable(dialog.problemLabel()->text()));
        // A coil is one bit: no type or order to choose.
        dialog.modiconBox()->setChecked(false);
        dialog.tableBox()->setCurrentText(QStringLiteral("coil"));
        dialog.addressBox()->setValue(3);
        QVERIFY(!dialog.typeBox()->isEnabled());
        c = dialog.config(&why);
        QVERIFY2(c, qPrintable(why));
        QCOMPARE(c->id(), QStringLiteral("modbus:plc1:502/1/coil/3"));
    }

    void testReadShowsEveryOrderAndAddingReadsIt() {
        demo::ModbusDemoServer plant;
        QVERIFY2(plant.listen(), qPrintable(plant.errorString()));
        dashboard::MonitoringSession session(async::Clock::system());
        ModbusDialog dialog([&session](modbus::RegisterSpec spec, auto done) {
            session.readRegistersInBackground(std::move(spec), std::chrono::seconds(3), done);
        });
        dialog.hostEdit()->setText(QStringLiteral("127.0.0.1"));
        dialog.portBox()->setValue(plant.port());
        dialog.typeBox()->setCurrentText(QStringLiteral("float32"));
        dialog.addressBox()->setValue(2);          // Reactor_Press, float32 CDAB
        QVERIFY(!dialog.okButton()->isEnabled());  // no name yet,
        QVERIFY(dialog.testButton()->isEnabled()); // but a test read needs none
        dialog.testButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.testButton()->isEnabled(), 10000);
        const QString shown = dialog.resultLabel()->text();
        QVERIFY2(shown.contains(QLatin1String("\nCDAB 5.")) ||
                     shown.contains(QLatin1String("\nCDAB 4.")),
                 qPrintable(shown));     // near 5 bar in the right order only
        QCOMPARE(shown.count(u'\n'), 4); // the words, then ABCD, CDAB, BADC and DCBA
        QVERIFY(shown.contains(QLatin1String("\nABCD ")) &&
                shown.contains(QLatin1String("\nDCBA ")));
        dialog.orderBox()->setCurrentText(QStringLiteral("CDAB"));
        dialog.nameEdit()->setText(QStringLiteral("Reactor_Press"));
        QString why;
        const auto c = dialog.config(&why);
        QVERIFY(c);
        QVERIFY(session.addSensor(*c));
        auto &hub = session.hub();
        QTRY_VERIFY_WITH_TIMEOUT(hub.stats(c->id()).ok > 0, 10000);
        QVERIFY(hub.stats(c->id()).lastValue > 3 && hub.stats(c->id()).lastValue < 7);
        // A register the device lacks: the test read says the exception by name.
        dialog.addressBox()->setValue(50);
        dialog.testButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.testButton()->isEnabled(), 10000);
        QCOMPARE(dialog.resultLabel()->text(),
                 QStringLiteral("Modbus exception 2 (illegal data address)"));
        QVERIFY(test::drive(session.shutdown()).isOk());
    }

    void thePlantDemoReadsEveryRegister() {
        widgets::MainWindow w;
        test::ShutDownAtExit closing(w);
        w.show();
        w.runModbusPlantDemo();
        auto &hub = w.session().hub();
        QTRY_COMPARE_WITH_TIMEOUT(hub.ids().size(), 10, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(hub.ids().cbegin(), hub.ids().cend(),
                        [&hub](const QString &id) { return hub.stats(id).ok > 0; }),
            10000);
        QCOMPARE(w.dashboard()->panels().size(), 8);
        QVERIFY(!w.dashboard()
                     ->eventLog()
                     ->findItems(QStringLiteral("Modbus plant: Vigil's own Modbus TCP device"),
                                 Qt::MatchContains)
                     .isEmpty());
        w.runModbusPlantDemo(); // a second click: the same device, the dashboard again
        QTRY_COMPARE_WITH_TIMEOUT(hub.ids().size(), 10, 10000);
    }

    void theSerialDemoIsNotRemembered() {
        auto w = std::make_unique<widgets::MainWindow>();
        w->runSerialInstrumentDemo();
        auto &hub = w->session().hub();
        QTRY_VERIFY_WITH_TIMEOUT(w->session().lineSources().size() == 1 && hub.ids().size() == 4,
                                 10000); // the instrument's four values, not the default four
        w->show();
        w->close(); // remembers the dashboard, then shuts down and closes for real
        QTRY_VERIFY_WITH_TIMEOUT(!w->isVisible(), 10000);
        w.reset();
        // Its pty is gone with the window; the next start must not open whoever has it now.
        widgets::MainWindow next;
        test::ShutDownAtExit closing(next);
        QTRY_VERIFY_WITH_TIMEOUT(!next.session().hub().ids().isEmpty(), 10000);
        QVERIFY(next.session().lineSources().isEmpty());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestModbusDialog)
#include "tst_modbusdialog.moc"
