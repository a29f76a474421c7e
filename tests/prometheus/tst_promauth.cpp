// SPDX-License-Identifier: Apache-2.0
// A Prometheus source against a real Prometheus 2.42 that asks for basic auth
// (--web.config.file), and behind a real nginx that asks for a bearer token under a path
// prefix: the secret comes from the environment and is never saved or said.
#include "nginxserver.h"
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
    void aBearerTokenAndAPathPrefixReachAPrometheusBehindAProxy() {
        test::PrometheusServer prometheus;
        QVERIFY2(prometheus.start({}), qPrintable(prometheus.why()));
        const QString port = prometheus.url().section(u':', -1);
        test::NginxServer proxy(
            QStringLiteral("location /prom/ { if ($http_authorization != \"Bearer s3cret\") "
                           "{ return 401; } proxy_pass http://127.0.0.1:%1/; }")
                .arg(port));
        if (!proxy.isRunning())
            QSKIP("nginx is not installed");
        prometheus::PromSpec spec;
        spec.url = proxy.url(QStringLiteral("prom")).toString();
        spec.query = QStringLiteral("vector(7)");
        spec.tokenEnv = QStringLiteral("VIGIL_TEST_PROM_TOKEN");
        dashboard::SensorConfig c;
        c.type = QStringLiteral("prometheus");
        c.prometheus = spec;
        c.timeoutMs = 10000;
        dashboard::DashboardConfig dash;
        dash.sensors << c;
        dashboard::MonitoringSession session(async::Clock::system());
        QStringList said;
        connect(&session, &dashboard::MonitoringSession::logMessage, this,
                [&said](const QString &m) { said << m; });
        qputenv("VIGIL_TEST_PROM_TOKEN", "nope");
        (void)test::drive(session.apply(dash));
        QTRY_VERIFY_WITH_TIMEOUT(said.join(u'\n').contains(QLatin1String("unauthorized: HTTP 401")),
                                 15000);
        qputenv("VIGIL_TEST_PROM_TOKEN", "s3cret");
        dash.sensors.first().prometheus.query = QStringLiteral("vector(8)"); // a new source
        (void)test::drive(session.apply(dash));
        QTRY_VERIFY_WITH_TIMEOUT(!session.promSources().isEmpty() &&
                                     !session.promSources().first()->seriesIds().isEmpty(),
                                 15000);
        const QString id = session.promSources().first()->seriesIds().first();
        QTRY_COMPARE_WITH_TIMEOUT(session.hub().stats(id).lastValue, 8.0, 15000);
        QVERIFY(!dashboard::serializeDashboard(session.current()).contains("s3cret"));
        for (const QString &line : std::as_const(said))
            QVERIFY2(!line.contains(QLatin1String("s3cret")), qPrintable(line));
        qunsetenv("VIGIL_TEST_PROM_TOKEN");
        (void)test::drive(session.shutdown());
    }
};

QTEST_GUILESS_MAIN(TestPromAuth)
#include "tst_promauth.moc"
