// SPDX-License-Identifier: Apache-2.0
#include "asynctest.h"
#include "shutdown.h"

#include "chartpanel.h"
#include "dashboardview.h"
#include "mainwindow.h"
#include "sensorstatusmodel.h"
#include "thresholdsdialog.h"

#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"
#include "sensors/sensorhub.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using widgets::MainWindow;
using widgets::ThresholdsDialog;

namespace {
const QString kId = QStringLiteral("sim:Boiler");

QByteArray dashboardJson() {
    return "{\"sensors\": [{\"type\": \"simulated\", \"name\": \"Boiler\", \"unit\": \"°C\", "
           "\"setpoint\": 50, \"interval_ms\": 200, "
           "\"thresholds\": {\"high_warn\": 80, \"high_alarm\": 90}}]}";
}

/// Fills the dialog as a user would and presses OK.
void fillAndAccept(ThresholdsDialog *dialog) {
    dialog->boundEdit(ThresholdsDialog::LowWarn)->setText(QStringLiteral("10"));
    dialog->boundEdit(ThresholdsDialog::HighWarn)->setText(QStringLiteral("95"));
    dialog->boundEdit(ThresholdsDialog::HighAlarm)->setText(QStringLiteral("99.7"));
    dialog->deadbandBox()->setValue(0.5);
    dialog->delayBox()->setValue(5);
    QVERIFY(dialog->buttons()->button(QDialogButtonBox::Ok)->isEnabled());
    dialog->buttons()->button(QDialogButtonBox::Ok)->click();
}

/// The thresholds of the one sensor in the dashboard file at @p path.
std::optional<sensors::Thresholds> savedThresholds(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    dashboard::ConfigError error;
    const auto config = dashboard::parseDashboard(file.readAll(), &error);
    if (!config || config->sensors.size() != 1)
        return std::nullopt;
    return config->sensors.first().thresholds;
}

sensors::Thresholds expected() {
    sensors::Thresholds t;
    t.lowWarn = 10;
    t.highWarn = 95;
    t.highAlarm = 99.7;
    t.deadband = 0.5;
    t.delayS = 5;
    return t;
}

/// The action of the context menu that a right click just popped up under @p parent.
QAction *popupAction(QWidget *parent) {
    QMenu *menu = parent->findChild<QMenu *>();
    if (!menu || menu->actions().isEmpty())
        return nullptr;
    return menu->actions().first();
}
} // namespace

class TestThresholdsDialog : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("VigilTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_thresholdsdialog"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                           m_dir.filePath(QStringLiteral("config")));
    }

    void fieldsShowTheCurrentBandsAndOkWaitsForValidOnes() {
        sensors::Thresholds t;
        t.highWarn = 80;
        t.highAlarm = 90;
        t.deadband = 1.5;
        ThresholdsDialog dialog(QStringLiteral("Boiler"), QStringLiteral("°C"), t);
        QCOMPARE(dialog.boundEdit(ThresholdsDialog::HighAlarm)->text(), QStringLiteral("90"));
        QCOMPARE(dialog.boundEdit(ThresholdsDialog::LowAlarm)->text(), QString());
        QCOMPARE(dialog.deadbandBox()->value(), 1.5);
        QCOMPARE(dialog.thresholds(), t);
        auto *ok = dialog.buttons()->button(QDialogButtonBox::Ok);
        QVERIFY(ok->isEnabled());
        dialog.boundEdit(ThresholdsDialog::HighAlarm)->setText(QStringLiteral("70"));
        QVERIFY(!ok->isEnabled());
        QVERIFY2(dialog.problem().contains(QStringLiteral("must not be below")),
                 qPrintable(dialog.problem()));
        dialog.boundEdit(ThresholdsDialog::HighAlarm)->setText(QStringLiteral("ninety"));
        QVERIFY(!ok->isEnabled());
        QVERIFY(dialog.problem().contains(QStringLiteral("is not a number")));
        dialog.accept(); // refused: the dialog stays open with its problem shown
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        dialog.boundEdit(ThresholdsDialog::HighAlarm)->clear();
        QVERIFY(ok->isEnabled());
        QVERIFY(!dialog.thresholds().highAlarm);
    }

    void chartContextMenuEditsAlarmsAndSavesThemInTheDashboardFile() {
        const QString path = m_dir.filePath(QStringLiteral("chart.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(dashboardJson());
        file.close();
        MainWindow w(path);
        test::ShutDownAtExit closing(w);
        w.show();
        QTRY_COMPARE_WITH_TIMEOUT(w.dashboard()->panels().size(), 1, 5000);
        auto *panel = w.dashboard()->panels().first();
        QContextMenuEvent click(QContextMenuEvent::Mouse, panel->rect().center(),
                                panel->mapToGlobal(panel->rect().center()));
        QApplication::sendEvent(panel->viewport(), &click);
        QAction *action = popupAction(panel);
        QVERIFY(action);
        QCOMPARE(action->text(), QStringLiteral("Alarms of Boiler…"));
        action->trigger();
        auto *dialog = w.dashboard()->findChild<ThresholdsDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->boundEdit(ThresholdsDialog::HighAlarm)->text(), QStringLiteral("90"));
        fillAndAccept(dialog);
        QCOMPARE(w.session().hub().thresholds(kId), expected());
        QCOMPARE(savedThresholds(path), std::optional(expected()));
        // The charts redraw with the new bands.
        QTRY_VERIFY_WITH_TIMEOUT(!w.dashboard()->panels().isEmpty() &&
                                     w.dashboard()->panels().first()->series().first().thresholds ==
                                         expected(),
                                 5000);
    }

    void statusTableContextMenuOpensTheSameDialog() {
        const QString path = m_dir.filePath(QStringLiteral("table.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(dashboardJson());
        file.close();
        MainWindow w(path);
        test::ShutDownAtExit closing(w);
        w.show();
        auto *table = w.dashboard()->statusTable();
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 1, 5000);
        const QPoint row = table->visualRect(table->model()->index(0, 0)).center();
        Q_EMIT table->customContextMenuRequested(row);
        QAction *action = popupAction(table);
        QVERIFY(action);
        QCOMPARE(action->text(), QStringLiteral("Alarms of Boiler…"));
        action->trigger();
        auto *dialog = w.dashboard()->findChild<ThresholdsDialog *>();
        QVERIFY(dialog);
        fillAndAccept(dialog);
        QCOMPARE(savedThresholds(path), std::optional(expected()));
    }

    void cancelChangesNothing() {
        const QString path = m_dir.filePath(QStringLiteral("cancel.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(dashboardJson());
        file.close();
        MainWindow w(path);
        test::ShutDownAtExit closing(w);
        QTRY_VERIFY_WITH_TIMEOUT(w.session().hub().contains(kId), 5000);
        auto *dialog = w.dashboard()->editThresholds(kId);
        QVERIFY(dialog);
        dialog->boundEdit(ThresholdsDialog::HighAlarm)->setText(QStringLiteral("95"));
        dialog->buttons()->button(QDialogButtonBox::Cancel)->click();
        QCOMPARE(w.session().hub().thresholds(kId).highAlarm, std::optional(90.0));
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(saved.readAll(), dashboardJson()); // untouched
    }

    void aFileWithLiteralSecretsIsNotRewritten() {
        // Saving strips a literal secret: an alarm set in the dialog must not cost the user the
        // token their hand-written file holds (the sensor would get 401 at the next load).
        const QString path = m_dir.filePath(QStringLiteral("secret.json"));
        const QByteArray json =
            "{\"sensors\": [{\"type\": \"simulated\", \"name\": \"Boiler\", \"setpoint\": 50, "
            "\"interval_ms\": 200}, {\"type\": \"http_json\", \"name\": \"Flow\", \"url\": "
            "\"http://127.0.0.1:1/flow\", \"pointer\": \"/v\", \"headers\": {\"Authorization\": "
            "\"Bearer s3cr3t\"}}]}";
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(json);
        file.close();
        MainWindow w(path);
        test::ShutDownAtExit closing(w);
        QTRY_VERIFY_WITH_TIMEOUT(w.session().hub().contains(kId), 5000);
        auto *dialog = w.dashboard()->editThresholds(kId);
        QVERIFY(dialog);
        fillAndAccept(dialog);
        QCOMPARE(w.session().hub().thresholds(kId).highAlarm, std::optional(99.7)); // applied
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(saved.readAll(), json); // untouched: the token is still there
        const QString message = w.statusBar()->currentMessage();
        QVERIFY2(message.contains(QStringLiteral("not written")), qPrintable(message));
    }
};

QTEST_MAIN(TestThresholdsDialog)
#include "tst_thresholdsdialog.moc"
