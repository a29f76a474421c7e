// SPDX-License-Identifier: Apache-2.0
// Prometheus sources in dashboard files: their keys, their errors, and secrets only by name.
#include "dashboard/dashboardconfig.h"

#include <QTest>

using namespace vigil;

namespace {
QByteArray withSource(const QByteArray &keys) {
    return "{\"sensors\": [{\"type\": \"prometheus\", " + keys + "}]}";
}
} // namespace

class TestPromConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyKeyRoundTrips() {
        dashboard::ConfigError error;
        QList<dashboard::ConfigError> warnings;
        const auto c = dashboard::parseDashboard(
            withSource("\"url\": \"https://prom.plant:9443/prom\", \"query\": "
                       "\"rate(x_total{job=\\\"a\\\"}[1m])\", \"name\": \"{instance}\", "
                       "\"unit\": \"1/s\", \"interval_ms\": 15000, \"timeout_ms\": 5000, "
                       "\"username\": \"ops\", \"password_env\": \"PROM_PASSWORD\", "
                       "\"max_series\": 300"),
            &error, &warnings);
        QVERIFY2(c, qPrintable(error.text()));
        QVERIFY(warnings.isEmpty());
        const auto &s = c->sensors[0];
        const auto &p = s.prometheus;
        QCOMPARE(s.id(),
                 QStringLiteral("prometheus:prom.plant:9443/prom?rate(x_total{job=\"a\"}[1m])"));
        QCOMPARE(p.namePattern, QStringLiteral("{instance}"));
        QCOMPARE(p.unit, QStringLiteral("1/s"));
        QCOMPARE(p.intervalMs, 15000);
        QCOMPARE(s.timeoutMs, 5000);
        QCOMPARE(p.maxSeries, 300);
        QCOMPARE(p.passwordEnv, QStringLiteral("PROM_PASSWORD"));
        const auto back =
            dashboard::parseDashboard(dashboard::serializeDashboard(*c), &error, &warnings);
        QVERIFY2(back, qPrintable(error.text()));
        QCOMPARE(back->sensors[0].prometheus, p);
        QVERIFY(warnings.isEmpty());
    }

    void defaultsSuitAScrapeInterval() {
        dashboard::ConfigError error;
        const auto c = dashboard::parseDashboard(
            withSource("\"url\": \"http://127.0.0.1:9090\", \"query\": \"up\""), &error);
        QVERIFY2(c, qPrintable(error.text()));
        QCOMPARE(c->sensors[0].prometheus.intervalMs, 5000);
        QCOMPARE(c->sensors[0].timeoutMs, 15000);
        QCOMPARE(c->sensors[0].prometheus.maxSeries, 100);
    }

    void errorsNameTheKey_data() {
        QTest::addColumn<QByteArray>("keys");
        QTest::addColumn<QString>("path");
        QTest::newRow("no url") << QByteArray("\"query\": \"up\"") << QStringLiteral("url");
        QTest::newRow("not http") << QByteArray("\"url\": \"ftp://h\", \"query\": \"up\"")
                                  << QStringLiteral("url");
        QTest::newRow("password in url")
            << QByteArray("\"url\": \"http://a:b@h:9090\", \"query\": \"up\"")
            << QStringLiteral("url");
        QTest::newRow("no query") << QByteArray("\"url\": \"http://h:9090\"")
                                  << QStringLiteral("query");
        QTest::newRow("token value")
            << QByteArray("\"url\": \"http://h:9090\", \"query\": \"up\", \"token_env\": \"a b\"")
            << QStringLiteral("token_env");
        QTest::newRow("password without user")
            << QByteArray("\"url\": \"http://h:9090\", \"query\": \"up\", \"password_env\": \"P\"")
            << QStringLiteral("password_env");
        QTest::newRow("too many series") << QByteArray("\"url\": \"http://h:9090\", \"query\": "
                                                       "\"up\", \"max_series\": 100000")
                                         << QStringLiteral("max_series");
    }
    void errorsNameTheKey() {
        QFETCH(QByteArray, keys);
        QFETCH(QString, path);
        dashboard::ConfigError error;
        QVERIFY(!dashboard::parseDashboard(withSource(keys), &error));
        QVERIFY2(error.path.endsWith(path), qPrintable(error.text()));
    }

    void anUnknownKeyIsAWarning() {
        dashboard::ConfigError error;
        QList<dashboard::ConfigError> warnings;
        QVERIFY(dashboard::parseDashboard(
            withSource("\"url\": \"http://h:9090\", \"query\": \"up\", \"tokn_env\": \"T\""),
            &error, &warnings));
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings[0].text().contains(QLatin1String("token_env")),
                 qPrintable(warnings[0].text()));
    }
};

QTEST_GUILESS_MAIN(TestPromConfig)
#include "tst_promconfig.moc"
