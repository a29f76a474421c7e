// SPDX-License-Identifier: Apache-2.0
// Demo -> MQTT plant in the real window: a private mosquitto, the publisher, three sources.
#include "asynctest.h"
#include "shutdown.h"

#include "dashboardview.h"
#include "eventlog.h"
#include "mainwindow.h"

#include "dashboard/monitoringsession.h"
#include "demo/mosquittoprocess.h"
#include "sensors/sensorhub.h"

#include <QApplication>
#include <QLabel>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using widgets::MainWindow;

class TestMqttDemo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        if (demo::MosquittoProcess::binary().isEmpty())
            QSKIP("mosquitto is not installed");
        QCoreApplication::setOrganizationName(QStringLiteral("VigilTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mqttdemo"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                           m_dir.filePath(QStringLiteral("config")));
    }

    void oneClickShowsThePlantChartedByField() {
        MainWindow w;
        test::ShutDownAtExit closing(w);
        w.show();
        QVERIFY(test::drive(w.runMqttPlantDemo()).isOk());
        // Process values, pump rpm, pump current and vibration: a chart each.
        QTRY_COMPARE_WITH_TIMEOUT(w.dashboard()->panels().size(), 4, 10000);
        auto &hub = w.session().hub();
        QTRY_VERIFY_WITH_TIMEOUT(hub.ids().size() == 14, 10000); // 11 series and 3 delays
        QVERIFY(hub.poller().sensors().isEmpty());
        QCOMPARE(w.findChild<QLabel *>(QStringLiteral("pollCycle"))->text(),
                 QStringLiteral("no polled sensors"));
        QVERIFY(w.dashboard()->cycleLabel()->text().isEmpty());
        auto *log = w.dashboard()->eventLog();
        QVERIFY(!log->findItems(QStringLiteral("MQTT plant: a private mosquitto on mqtt://"),
                                Qt::MatchContains)
                     .isEmpty());
        QVERIFY(test::drive(w.runMqttPlantDemo()).isOk()); // a second click: the same plant
        QCOMPARE(w.session().streams().size(), 3);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestMqttDemo)
#include "tst_mqttdemo.moc"
