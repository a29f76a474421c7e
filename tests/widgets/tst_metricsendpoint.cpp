// SPDX-License-Identifier: Apache-2.0
// The GUI's /metrics: the setting, the dialog, and what a scrape holds.
#include "promtool.h"

#include "fetch/transfercounters.h"
#include "metricsendpoint.h"
#include "sensors/sensorhub.h"

#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTcpServer>
#include <QTemporaryDir>

using namespace vigil;
using widgets::MetricsEndpoint;
using widgets::MetricsSettings;

class TestMetricsEndpoint : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("VigilTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_metricsendpoint"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                           m_dir.filePath(QStringLiteral("config")));
    }

    void init() { QSettings().clear(); }

    void offByDefaultAndServesTheTabsCountsWhenOn() {
        QCOMPARE(MetricsSettings::load().enabled, false);
        sensors::SensorHub hub(async::Clock::system());
        auto batch = std::make_shared<fetch::TransferCounters>();
        batch->ok = 7;
        auto downloads = std::make_shared<fetch::TransferCounters>();
        downloads->bytes = 4096;
        MetricsEndpoint endpoint({hub, batch, downloads});
        QVERIFY(!endpoint.isServing());
        QString error;
        QVERIFY2(endpoint.apply({true, 0, QStringLiteral("127.0.0.1")}, &error), qPrintable(error));
        const auto response = test::httpGet(QUrl(endpoint.url()));
        QCOMPARE(response.status, 200);
        QVERIFY(response.body.contains("\nvigil_batch_items_total{status=\"ok\"} 7\n"));
        QVERIFY(response.body.contains("\nvigil_download_received_bytes_total 4096\n"));
        QCOMPARE(test::promtoolProblems(response.body), QString());
        QVERIFY(endpoint.apply({false, 0, QStringLiteral("127.0.0.1")}, &error));
        QVERIFY(!endpoint.isServing());
    }

    void aChangeThatCannotListenKeepsWhatServes() {
        sensors::SensorHub hub(async::Clock::system());
        MetricsEndpoint endpoint({hub, std::make_shared<fetch::TransferCounters>(),
                                  std::make_shared<fetch::TransferCounters>()});
        QString error;
        QVERIFY(endpoint.apply({true, 0, QStringLiteral("127.0.0.1")}, &error));
        const QString url = endpoint.url();
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        QVERIFY(!endpoint.apply({true, taken.serverPort(), QStringLiteral("127.0.0.1")}, &error));
        QVERIFY(error.contains(QString::number(taken.serverPort())));
        QVERIFY(endpoint.isServing());
        QCOMPARE(endpoint.url(), url);
        QCOMPARE(test::httpGet(QUrl(url)).status, 200);
        // The same settings again: still the one server (a second could not take its port).
        QVERIFY(endpoint.apply(endpoint.settings(), &error));
        QCOMPARE(endpoint.url(), url);
    }

    void theDialogWarnsAboutOtherAddressesAndKeepsATakenPortOpen() {
        sensors::SensorHub hub(async::Clock::system());
        MetricsEndpoint endpoint({hub, std::make_shared<fetch::TransferCounters>(),
                                  std::make_shared<fetch::TransferCounters>()});
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        const quint16 port = taken.serverPort();
        QWidget parent;
        QDialog *dialog = widgets::editMetricsSettings(endpoint, &parent);
        auto *warning = dialog->findChild<QLabel *>(QStringLiteral("metricsWarning"));
        QVERIFY(warning->text().isEmpty());
        dialog->findChild<QLineEdit *>()->setText(QStringLiteral("0.0.0.0"));
        QVERIFY(warning->text().contains(QLatin1String("other machines")));
        dialog->findChild<QLineEdit *>()->setText(QStringLiteral("127.0.0.1"));
        dialog->findChild<QCheckBox *>()->setChecked(true);
        dialog->findChild<QSpinBox *>()->setValue(port);
        auto *buttons = dialog->findChild<QDialogButtonBox *>();
        buttons->button(QDialogButtonBox::Ok)->click();
        QVERIFY(dialog->isVisible()); // the user can pick another port
        QVERIFY2(warning->text().contains(QString::number(port)), qPrintable(warning->text()));
        QCOMPARE(MetricsSettings::load().enabled, false); // nothing that failed was saved
        taken.close();
        buttons->button(QDialogButtonBox::Ok)->click();
        QVERIFY(endpoint.isServing());
        QVERIFY(MetricsSettings::load().enabled);
        QCOMPARE(MetricsSettings::load().port, port);
    }
};

QTEST_MAIN(TestMetricsEndpoint)
#include "tst_metricsendpoint.moc"
