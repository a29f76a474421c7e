// SPDX-License-Identifier: Apache-2.0
// A Prometheus source against a real Prometheus 2.42 that asks for basic auth
// (--web.config.file): the password comes from the environment and is never saved or said.
#include "prometheusserver.h"

#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"
#include "prometheus/promsource.h"
#include "sensors/sensorhub.h"

using namespace vigil;

class TestPromAuth : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        if (test::PrometheusServer::binary().isEmpty())
            QSKIP("prometheus is not installed (Debian package prometheus)");
    }

    void basicAuthComesFromTheEnvironmentAndIsNeverSaid() {
        // Prometheus' own basic auth (--web.config.file): user ops, password "test" (the
        // bcrypt hash from Prometheus' basic-auth guide).
        test::PrometheusServer guarded;
        QVERIFY2(guarded.start({},
                               "basic_auth_users:\n  ops: "
                               "$2b$12$hNf2lSsxfm0.i4a.1kVpSOVyBCfIB51VRjgBUyv6kdnyTlgWj81Ay\n",
                               "Basic " + QByteArray("ops:test").toBase64()),
                 qPrintable(guarded.why()));
        dashboard::MonitoringSession session(async::Clock::system());
        dashboard::SensorConfig c;
        c.type = QStringLiteral("prometheus");
        c.prometheus.url = guarded.url();
        c.prometheus.query = QStringLiteral("vector(42)");
        c.prometheus.username = QStringLiteral("ops");
        c.prometheus.passwordEnv = QStringLiteral("VIGIL_TEST_PROM_PASSWORD");
        c.timeoutMs = 10000;
        QStringList said;
        connect(&session, &dashboard::MonitoringSession::logMessage, this,
                [&said](const QString &m) { said << m; });
        dashboard::DashboardConfig dash;
        dash.sensors << c;
        qputenv("VIGIL_TEST_PROM_PASSWORD", "wrong");
        (void)test::drive(session.apply(dash));
        QTRY_VERIFY_WITH_TIMEOUT(said.join(u'\n').contains(QLatin1String("unauthorized: HTTP 401")),
                                 15000);
        qputenv("VIGIL_TEST_PROM_PASSWORD", "test");
        dash.sensors.first().prometheus.query = QStringLiteral("vector(43)"); // a new source
        (void)test::drive(session.apply(dash));
        QTRY_VERIFY_WITH_TIMEOUT(!session.promSources().isEmpty() &&
                                     !session.promSources().first()->seriesIds().isEmpty(),
                                 15000);
        const QString id = session.promSources().first()->seriesIds().first();
        QTRY_COMPARE_WITH_TIMEOUT(session.hub().stats(id).lastValue, 43.0, 15000);
        const QByteArray saved = dashboard::serializeDashboard(session.current());
        QVERIFY(saved.contains("VIGIL_TEST_PROM_PASSWORD"));
        QVERIFY(!saved.contains("test\"") && !saved.contains(QByteArray("ops:test").toBase64()));
        for (const QString &line : std::as_const(said))
            QVERIFY2(!line.contains(QLatin1String("b3BzOnRlc3Q")), qPrintable(line));
        qunsetenv("VIGIL_TEST_PROM_PASSWORD");
        (void)test::drive(session.shutdown());
    }
};

QTEST_GUILESS_MAIN(TestPromAuth)
#include "tst_promauth.moc"
