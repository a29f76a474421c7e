// SPDX-License-Identifier: Apache-2.0
// A real Prometheus (Debian's 2.42, private port and data dir) scrapes Vigil's /metrics, and
// what it stored reads back the same through its HTTP API.
#include "prometheusserver.h"

#include "metrics/metricsregistry.h"
#include "metrics/metricsserver.h"
#include "metrics/vigilmetrics.h"
#include "sensors/sensorhub.h"
#include "sensors/streamseries.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

using namespace vigil;

namespace {
/// The result vector of an instant query.
QJsonArray instantQuery(const QString &base, const QString &promql) {
    QUrl url(base + QStringLiteral("/api/v1/query"));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("query"), promql);
    url.setQuery(q);
    const auto response = test::httpGet(url);
    return QJsonDocument::fromJson(response.body)
        .object()
        .value(QStringLiteral("data"))
        .toObject()
        .value(QStringLiteral("result"))
        .toArray();
}
} // namespace

class TestPrometheusScrape : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        if (test::PrometheusServer::binary().isEmpty())
            QSKIP("prometheus is not installed (Debian package prometheus)");
    }

    void whatPrometheusScrapedReadsBackTheSame() {
        sensors::SensorHub hub(async::Clock::system());
        const QString name = QStringLiteral("pump \"A\"\\east");
        hub.addStream(std::make_shared<sensors::StreamSeries>(
            QStringLiteral("mqtt:h:1/x|a"), name, QStringLiteral("°C"),
            QStringLiteral("mqtt:h:1/x"), std::make_shared<sensors::StreamStatus>()));
        metrics::MetricsRegistry registry;
        metrics::addSensorMetrics(registry, hub);
        sensors::Reading r;
        r.timeMs = QDateTime::currentMSecsSinceEpoch();
        r.value = 42.5;
        hub.ingest(QStringLiteral("mqtt:h:1/x|a"), r);
        metrics::MetricsServer server(registry);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));

        test::PrometheusServer prometheus;
        QVERIFY2(prometheus.start({QStringLiteral("127.0.0.1:%1").arg(server.port())}),
                 qPrintable(prometheus.why()));
        QJsonArray result;
        QElapsedTimer t;
        t.start();
        while (result.isEmpty() && t.elapsed() < 30000) {
            test::spin(std::chrono::milliseconds(300));
            result = instantQuery(prometheus.url(), QStringLiteral("vigil_sensor_value"));
        }
        QCOMPARE(result.size(), 1);
        const QJsonObject metric = result[0].toObject().value(QStringLiteral("metric")).toObject();
        QCOMPARE(metric.value(QStringLiteral("sensor")).toString(), name);
        QCOMPARE(metric.value(QStringLiteral("unit")).toString(), QStringLiteral("°C"));
        QCOMPARE(metric.value(QStringLiteral("source")).toString(), QStringLiteral("mqtt"));
        QCOMPARE(result[0].toObject().value(QStringLiteral("value")).toArray()[1].toString(),
                 QStringLiteral("42.5"));
        const QJsonArray up = instantQuery(prometheus.url(), QStringLiteral("up{job=\"vigil\"}"));
        QCOMPARE(up.size(), 1);
        QCOMPARE(up[0].toObject().value(QStringLiteral("value")).toArray()[1].toString(),
                 QStringLiteral("1"));
    }
};

QTEST_GUILESS_MAIN(TestPrometheusScrape)
#include "tst_prometheusscrape.moc"
