// SPDX-License-Identifier: Apache-2.0
// Vigil's /metrics as Prometheus scrapes it: over real HTTP, checked by promtool.
#include "demofixture.h"
#include "promtool.h"

#include "fetch/batchrunner.h"
#include "metrics/exposition.h"
#include "metrics/metricsregistry.h"
#include "metrics/metricsserver.h"
#include "metrics/vigilmetrics.h"
#include "sensors/sensorhub.h"
#include "sensors/simulatedsensor.h"
#include "sensors/streamseries.h"

#include <QNetworkInterface>
#include <QRegularExpression>
#include <QTcpSocket>

using namespace vigil;

namespace {
/// The sample lines (not comments) of @p body.
QStringList samples(const QByteArray &body) {
    QStringList out;
    for (const QString &line : QString::fromUtf8(body).split(u'\n', Qt::SkipEmptyParts)) {
        if (!line.startsWith(u'#'))
            out << line;
    }
    return out;
}

/// A sensor whose name holds everything that must be escaped in a label value.
constexpr char16_t kNastyName[] = u"pump \"A\"\\east\nline 2";
} // namespace

class TestMetricsServer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aScrapeIsTextFormat004AndPassesPromtool() {
        sensors::SensorHub hub(async::Clock::system());
        sensors::SimulatedSpec spec;
        spec.name = QString::fromUtf16(kNastyName);
        spec.unit = QStringLiteral("°C");
        auto polled = std::make_shared<sensors::SimulatedSensor>(spec, async::Clock::system());
        const QString id = QString::fromUtf8(metrics::escapeLabelValue(polled->id()));
        hub.add(polled);
        hub.addStream(std::make_shared<sensors::StreamSeries>(
            QStringLiteral("mqtt:127.0.0.1:1/x|t"), QStringLiteral("flow"), QStringLiteral("l/s"),
            QStringLiteral("mqtt:127.0.0.1:1/x"), std::make_shared<sensors::StreamStatus>()));

        // A series read from Prometheus is not sent back to it.
        hub.addStream(std::make_shared<sensors::StreamSeries>(
            QStringLiteral("prometheus:h:9090?up|{job=\"a\"}"), QStringLiteral("up a"), QString(),
            QStringLiteral("prometheus:h:9090?up"), std::make_shared<sensors::StreamStatus>()));
        metrics::MetricsRegistry registry;
        metrics::addSensorMetrics(registry, hub);
        sensors::Reading r;
        r.timeMs = 1764590400000;
        r.value = 21.5;
        r.latencyMs = 12;
        hub.ingest(polled->id(), r);
        r.value = 3;
        hub.ingest(QStringLiteral("mqtt:127.0.0.1:1/x|t"), r);
        hub.setStale(QStringLiteral("mqtt:127.0.0.1:1/x|t"), true);
        QObject owner;
        metrics::addLoopLagMetrics(registry, &owner);
        metrics::addTransferMetrics(registry, &owner, metrics::TransferKind::Batch,
                                    std::make_shared<fetch::TransferCounters>());
        metrics::addShardInfo(registry, &owner, 2, 4);
        metrics::MetricsServer server(registry);
        QVERIFY2(server.listen(QHostAddress::LocalHost, 0), qPrintable(server.errorString()));
        test::spin(std::chrono::milliseconds(250)); // a few lag samples

        const auto response = test::httpGet(QUrl(server.url()));
        QCOMPARE(response.status, 200);
        QCOMPARE(response.header("Content-Type"), QByteArray(metrics::kContentType));
        const QByteArray body = response.body;
        QCOMPARE(test::promtoolProblems(body), QString());

        const QStringList lines = samples(body);
        const QString nasty = QStringLiteral("sensor=\"pump \\\"A\\\"\\\\east\\nline 2\"");
        QVERIFY2(lines.contains(QStringLiteral("vigil_sensor_value{%1,id=\"%2\",unit=\"°C\","
                                               "source=\"simulated\"} 21.5")
                                    .arg(nasty, id)),
                 body.constData());
        QVERIFY(lines.contains(QStringLiteral("vigil_sensor_stale{sensor=\"flow\","
                                              "id=\"mqtt:127.0.0.1:1/x|t\"} 1")));
        QVERIFY(lines.contains(QStringLiteral("vigil_sensor_reads_total{%1,id=\"%2\","
                                              "outcome=\"ok\"} 1")
                                   .arg(nasty, id)));
        QVERIFY(lines.contains(QStringLiteral("vigil_sensor_read_latency_seconds_bucket{%1,"
                                              "id=\"%2\",le=\"0.025\"} 1")
                                   .arg(nasty, id)));
        QVERIFY(lines.contains(QStringLiteral("vigil_shard_info{shard=\"2\",shards=\"4\"} 1")));
        QVERIFY(body.contains("vigil_build_info{version=\"" VIGIL_VERSION "\""));
        QVERIFY(!body.contains("prometheus:h:9090"));
        QVERIFY(body.contains("vigil_event_loop_lag_seconds_count "));
        // No timestamps: every sample is a name (with labels) and one value.
        static const QRegularExpression oneValue(QStringLiteral("^[a-z_:]+(\\{.*\\})? [^ ]+$"));
        for (const QString &line : lines)
            QVERIFY2(oneValue.match(line).hasMatch(), qPrintable(line));
    }

    void batchCountersShowRetriesPausesAndStatuses() {
        test::DemoFixture demo;
        QVERIFY(demo.start(7));
        net::HttpClient client;
        fetch::BatchRunner runner(client, async::Clock::system());
        fetch::BatchSpec spec;
        spec.items = fetch::ItemList::range(3);
        spec.concurrency = 3;
        spec.urlTemplate =
            demo.url().toString() + QStringLiteral("/fail-first/{item}?n=1&retry-after=1&bytes=10");
        const auto outcome = test::drive(runner.run(spec));
        QVERIFY2(outcome.isOk(), qPrintable(outcome.errorMessage()));
        QCOMPARE(outcome.value().ok, 3);
        metrics::MetricsRegistry registry;
        metrics::addTransferMetrics(registry, &runner, metrics::TransferKind::Batch,
                                    runner.counters());
        const QStringList lines = samples(registry.render());
        QVERIFY(lines.contains(QStringLiteral("vigil_batch_items_total{status=\"ok\"} 3")));
        QVERIFY(lines.contains(QStringLiteral("vigil_batch_items_total{status=\"failed\"} 0")));
        QVERIFY(lines.contains(QStringLiteral("vigil_batch_items_planned_total 3")));
        QVERIFY(lines.contains(QStringLiteral("vigil_batch_retries_total 3")));
        QVERIFY(lines.contains(QStringLiteral("vigil_batch_host_pauses_total 3")));
        QVERIFY(lines.contains(QStringLiteral("vigil_batch_throttled_total 3")));
        QVERIFY(lines.contains(QStringLiteral("vigil_batch_requests_in_flight 0")));
        QVERIFY(lines.contains(QStringLiteral("vigil_batch_items_held 0")));
        QVERIFY(lines.contains(QStringLiteral("vigil_batch_received_bytes_total 30")));
        QCOMPARE(test::promtoolProblems(registry.render()), QString());
    }

    void itListensOnLoopbackOnlyUnlessTold() {
        metrics::MetricsRegistry registry;
        metrics::MetricsServer server(registry);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QVERIFY(server.url().startsWith(QLatin1String("http://127.0.0.1:")));
        QVERIFY(metrics::MetricsServer::exposureWarning(QHostAddress::LocalHost, 1).isEmpty());
        QVERIFY(metrics::MetricsServer::exposureWarning(QHostAddress::AnyIPv4, 9464)
                    .contains(QLatin1String("other machines")));
        // This machine's other addresses do not reach it.
        int tried = 0;
        for (const QHostAddress &a : QNetworkInterface::allAddresses()) {
            if (a.isLoopback() || a.protocol() != QAbstractSocket::IPv4Protocol)
                continue;
            QTcpSocket s;
            s.connectToHost(a, server.port());
            QVERIFY2(!s.waitForConnected(2000), qPrintable(a.toString()));
            ++tried;
        }
        qInfo("tried %d non-loopback address(es)", tried);
        QCOMPARE(test::httpGet(QUrl(server.url().replace(QLatin1String("/metrics"),
                                                         QLatin1String("/nothing"))))
                     .status,
                 404);
    }

    void aTakenPortIsAPlainError() {
        metrics::MetricsRegistry registry;
        metrics::MetricsServer first(registry);
        QVERIFY(first.listen(QHostAddress::LocalHost, 0));
        metrics::MetricsServer second(registry);
        QVERIFY(!second.listen(QHostAddress::LocalHost, first.port()));
        QVERIFY2(second.errorString().contains(QString::number(first.port())),
                 qPrintable(second.errorString()));
    }
};

QTEST_GUILESS_MAIN(TestMetricsServer)
#include "tst_metricsserver.moc"
