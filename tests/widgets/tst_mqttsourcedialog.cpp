// SPDX-License-Identifier: Apache-2.0
// Add… → MQTT topic…: inline checks by the file's rules, the password in memory, discovery.
#include "asynctest.h"
#include "mosquittobroker.h"

#include "mqttsourcedialog.h"

#include "dashboard/monitoringsession.h"

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTest>

using namespace vigil;
using widgets::MqttSourceDialog;

class TestMqttSourceDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void itChecksAsTheUserTypesAndNamesTheField() {
        MqttSourceDialog dialog({});
        QVERIFY(!dialog.okButton()->isEnabled());
        dialog.brokerEdit()->setText(QStringLiteral("http://broker"));
        dialog.topicEdit()->setText(QStringLiteral("plant/+/state"));
        QCOMPARE(dialog.problemLabel()->text(),
                 QStringLiteral("Broker: must start with mqtt:// or mqtts://"));
        dialog.brokerEdit()->setText(QStringLiteral("mqtt://127.0.0.1:1883"));
        dialog.topicEdit()->setText(QStringLiteral("plant/#/state"));
        QVERIFY(dialog.problemLabel()->text().startsWith(QLatin1String("Topic filter: may use #")));
        dialog.topicEdit()->setText(QStringLiteral("plant/+/state"));
        dialog.fieldsEdit()->setText(QStringLiteral("temp"));
        QCOMPARE(dialog.problemLabel()->text(),
                 QStringLiteral("Fields: write name=/pointer, name=/pointer"));
        dialog.fieldsEdit()->setText(QStringLiteral("temp=/t, rh=/h"));
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(dialog.problemLabel()->text().isEmpty());
        dialog.usernameEdit()->setText(QStringLiteral("ops"));
        dialog.passwordEdit()->setText(QStringLiteral("s3cret-in-memory"));
        QString why;
        const auto c = dialog.config(&why);
        QVERIFY2(c, qPrintable(why));
        QCOMPARE(c->mqtt.fields.size(), 2);
        QCOMPARE(c->mqtt.password, QStringLiteral("s3cret-in-memory"));
        QStringList dropped;
        dashboard::DashboardConfig d;
        d.sensors << *c;
        QVERIFY(!dashboard::serializeDashboard(d, &dropped).contains("s3cret"));
    }

    void discoveryListsTheBrokersTopicsAndAClickPicksOne() {
        test::MosquittoBroker broker;
        if (!broker.isRunning())
            QSKIP("mosquitto is not installed");
        QVERIFY(broker.publish(QStringLiteral("line/speed"), "12.5", true));
        QVERIFY(broker.publish(QStringLiteral("line/temp"), "40", true));
        dashboard::MonitoringSession session(async::Clock::system());
        MqttSourceDialog dialog([&session](mqtt::MqttSpec spec, auto done) {
            session.discoverTopicsInBackground(std::move(spec), std::chrono::milliseconds(800),
                                               done);
        });
        dialog.brokerEdit()->setText(broker.url());
        QVERIFY(dialog.discoverButton()->isEnabled()); // no topic needed to look around
        dialog.fieldsEdit()->setText(QStringLiteral("not-a-field")); // wrong, yet not in the way
        dialog.discoverButton()->click();
        QVERIFY(!dialog.discoverButton()->isEnabled());
        dialog.usernameEdit()->setText(QString()); // typing meanwhile: still one discovery
        QVERIFY(!dialog.discoverButton()->isEnabled());
        dialog.fieldsEdit()->setText(QString());
        QTRY_VERIFY_WITH_TIMEOUT(dialog.discoverButton()->isEnabled(), 10000);
        QCOMPARE(dialog.topicsList()->count(), 2);
        QVERIFY2(dialog.topicsList()->item(0)->text().startsWith(
                     QStringLiteral("line/speed — 0.0 msg/s, retained — 12.5")),
                 qPrintable(dialog.topicsList()->item(0)->text()));
        QTest::mouseClick(
            dialog.topicsList()->viewport(), Qt::LeftButton, {},
            dialog.topicsList()->visualItemRect(dialog.topicsList()->item(1)).center());
        QCOMPARE(dialog.topicEdit()->text(), QStringLiteral("line/temp"));
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(test::drive(session.shutdown()).isOk());
    }
};

QTEST_MAIN(TestMqttSourceDialog)
#include "tst_mqttsourcedialog.moc"
