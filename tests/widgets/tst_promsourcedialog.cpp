// SPDX-License-Identifier: Apache-2.0
// Add > Prometheus query... and the session running what it adds, against a real Prometheus
// 2.42 that scrapes itself (private port and data dir).
#include "prometheusserver.h"

#include "dashboard/monitoringsession.h"
#include "prometheus/promsource.h"
#include "promsourcedialog.h"
#include "sensors/sensorhub.h"

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>

using namespace vigil;
using widgets::PromSourceDialog;

class TestPromSourceDialog : public QObject {
    Q_OBJECT
    test::PrometheusServer *m_prometheus = nullptr;

private Q_SLOTS:
    void initTestCase() {
        if (test::PrometheusServer::binary().isEmpty())
            QSKIP("prometheus is not installed (Debian package prometheus)");
        m_prometheus = new test::PrometheusServer;
        QVERIFY2(m_prometheus->start({}), qPrintable(m_prometheus->why()));
    }
    void cleanupTestCase() { delete m_prometheus; }

    void theDialogChecksAndTestsTheQuery() {
        dashboard::MonitoringSession session(async::Clock::system());
        PromSourceDialog dialog([&session](dashboard::SensorConfig c, auto done) {
            session.queryPrometheusInBackground(std::move(c), done);
        });
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY2(dialog.problemLabel()->text().startsWith(QLatin1String("Server:")),
                 qPrintable(dialog.problemLabel()->text()));
        dialog.urlEdit()->setText(m_prometheus->url());
        dialog.queryEdit()->setText(QStringLiteral("sum(up"));
        QVERIFY(dialog.okButton()->isEnabled()); // PromQL is the server's to judge
        dialog.testButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(
            dialog.problemLabel()->text().startsWith(QLatin1String("bad_data:")), 10000);
        dialog.queryEdit()->setText(QStringLiteral("up"));
        dialog.nameEdit()->setText(QStringLiteral("{job} target"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.testButton()->isEnabled(), 10000);
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20000) {
            dialog.testButton()->click();
            QTRY_VERIFY_WITH_TIMEOUT(dialog.testButton()->isEnabled(), 10000);
            if (!dialog.seriesList()
                     ->findItems(QStringLiteral("self target = 1"), Qt::MatchExactly)
                     .isEmpty())
                break;
            test::spin(std::chrono::milliseconds(300));
        }
        QCOMPARE(dialog.seriesList()->item(0)->text(), QStringLiteral("1 series"));
        QCOMPARE(dialog.seriesList()->item(1)->text(), QStringLiteral("self target = 1"));
        QString why;
        const auto config = dialog.config(&why);
        QVERIFY2(config, qPrintable(why));
        QCOMPARE(config->prometheus.namePattern, QStringLiteral("{job} target"));
        auto shutting = session.shutdown();
        (void)test::drive(std::move(shutting));
    }

    void theSessionChartsBackfillsAndSavesTheSource() {
        dashboard::MonitoringSession session(async::Clock::system());
        dashboard::DashboardConfig dash;
        dashboard::SensorConfig c;
        c.type = QStringLiteral("prometheus");
        c.prometheus.url = m_prometheus->url();
        c.prometheus.query = QStringLiteral("prometheus_http_requests_total{job=\"self\"}");
        c.prometheus.namePattern = QStringLiteral("{handler}");
        c.prometheus.intervalMs = 1000;
        c.intervalMs = 1000;
        c.timeoutMs = 5000;
        dash.sensors << c;
        dash.windowS = 60;
        (void)test::drive(session.apply(dash));
        QCOMPARE(session.promSources().size(), 1);
        prometheus::PrometheusSource &source = *session.promSources().first();
        QTRY_VERIFY_WITH_TIMEOUT(source.seriesIds().size() >= 1, 15000);
        const QString first = source.seriesIds().first();
        QTRY_VERIFY_WITH_TIMEOUT(session.layout().charts.size() == 1, 5000);
        QVERIFY(session.layout().charts.first().contains(first));
        QVERIFY(session.layout().charts.first().size() <=
                dashboard::MonitoringSession::kChartedPerSource);
        // The backfill filled what Prometheus had before the first live point.
        QTRY_VERIFY_WITH_TIMEOUT(session.hub().history(first).size() >= 3, 15000);
        // Saved: the source, not its series.
        const auto saved = session.current();
        QCOMPARE(saved.sensors.size(), 1);
        QCOMPARE(saved.sensors.first().prometheus, c.prometheus);
        QVERIFY(saved.charts.isEmpty());
        (void)test::drive(session.removeSensor(c.id()));
        QVERIFY(session.promSources().isEmpty());
        QVERIFY(!session.hub().contains(first));
        (void)test::drive(session.shutdown());
    }
};

QTEST_MAIN(TestPromSourceDialog)
#include "tst_promsourcedialog.moc"
