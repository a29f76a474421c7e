// SPDX-License-Identifier: Apache-2.0
// The Prometheus source against a real Prometheus 2.42 (private port, temp data, 1 s scrapes):
// Prometheus scraping itself, and scraping Vigil's own /metrics for the round trip and a spike.
#include "prometheusserver.h"

#include "metrics/metricsregistry.h"
#include "metrics/metricsserver.h"
#include "metrics/vigilmetrics.h"
#include "net/httpclient.h"
#include "prometheus/promsource.h"
#include "sensors/sensorhub.h"
#include "sensors/streamseries.h"

#include <cmath>

using namespace vigil;
using namespace std::chrono_literals;

namespace {
constexpr auto kSpikeId = "mqtt:h:1/x|spiky";

/// Vigil's /metrics with one series, for Prometheus to scrape.
struct VigilExporter {
    sensors::SensorHub hub{async::Clock::system()};
    metrics::MetricsRegistry registry;
    metrics::MetricsServer server{registry};
    VigilExporter() {
        hub.addStream(std::make_shared<sensors::StreamSeries>(
            QString::fromLatin1(kSpikeId), QStringLiteral("spiky"), QStringLiteral("bar"),
            QStringLiteral("mqtt:h:1/x"), std::make_shared<sensors::StreamStatus>()));
        metrics::addSensorMetrics(registry, hub);
        set(1);
        (void)server.listen(QHostAddress::LocalHost, 0);
    }
    void set(double v) {
        sensors::Reading r;
        r.timeMs = QDateTime::currentMSecsSinceEpoch();
        r.value = v;
        hub.ingest(QString::fromLatin1(kSpikeId), r);
    }
};

template <typename T> T run(QCoro::Task<T> task) {
    auto outcome = test::drive(std::move(task), nullptr, 60s);
    if constexpr (!std::is_void_v<T>)
        return outcome.value();
}

prometheus::PromResult query(const prometheus::PromEndpoint &e, const QString &q) {
    net::HttpClient client;
    return run(prometheus::instantQuery(client, e, q));
}

/// Waits until @p promql gives at least one series (Prometheus has scraped).
bool waitForData(const prometheus::PromEndpoint &e, const QString &promql) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 30000) {
        if (!query(e, promql).series.isEmpty())
            return true;
        test::spin(300ms);
    }
    return false;
}
} // namespace

class TestPromSource : public QObject {
    Q_OBJECT
    VigilExporter *m_vigil = nullptr;
    test::PrometheusServer *m_prometheus = nullptr;
    prometheus::PromEndpoint m_endpoint;

private Q_SLOTS:
    void initTestCase() {
        if (test::PrometheusServer::binary().isEmpty())
            QSKIP("prometheus is not installed (Debian package prometheus)");
        m_vigil = new VigilExporter;
        QVERIFY(m_vigil->server.port() != 0);
        m_prometheus = new test::PrometheusServer;
        QVERIFY2(m_prometheus->start({QStringLiteral("127.0.0.1:%1").arg(m_vigil->server.port())}),
                 qPrintable(m_prometheus->why()));
        m_endpoint.base = QUrl(m_prometheus->url());
        QVERIFY(waitForData(m_endpoint, QStringLiteral("up{job=\"self\"} == 1")));
        QVERIFY(waitForData(m_endpoint, QStringLiteral("vigil_sensor_value")));
        // A few seconds of history: a backfill's last step ends at a whole second before now,
        // so a first scrape less than a second old is not in it yet.
        QVERIFY(
            waitForData(m_endpoint, QStringLiteral("count_over_time(up{job=\"self\"}[1m]) >= 4")));
    }
    void cleanupTestCase() {
        delete m_prometheus;
        delete m_vigil;
    }

    void theRoundTripReadsBackWhatVigilServed() {
        m_vigil->set(42.25);
        sensors::SensorHub hub(async::Clock::system());
        prometheus::PromSpec spec;
        spec.url = m_prometheus->url();
        spec.query = QStringLiteral("vigil_sensor_value{sensor=\"spiky\"}");
        spec.namePattern = QStringLiteral("{sensor} via {job}");
        spec.unit = QStringLiteral("bar");
        prometheus::PrometheusSource source(QStringLiteral("p"), spec, m_endpoint, hub,
                                            async::Clock::system());
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20000) {
            run(source.pollOnce());
            if (!source.seriesIds().isEmpty() &&
                hub.stats(source.seriesIds().first()).lastValue == 42.25)
                break;
            test::spin(300ms);
        }
        QCOMPARE(source.seriesIds().size(), 1);
        const QString id = source.seriesIds().first();
        QCOMPARE(hub.sensor(id)->name(), QStringLiteral("spiky via vigil"));
        QCOMPARE(hub.sensor(id)->unit(), QStringLiteral("bar"));
        QCOMPARE(hub.stats(id).lastValue, 42.25);
        QVERIFY(source.stateText().startsWith(QLatin1String("ok")));
        m_vigil->set(1);
        run(source.stop());
    }

    void backfillAndLiveAgainstPrometheusItself() {
        sensors::SensorHub hub(async::Clock::system());
        prometheus::PromSpec spec;
        spec.url = m_prometheus->url();
        spec.query = QStringLiteral("prometheus_http_requests_total{job=\"self\"}");
        spec.namePattern = QStringLiteral("{handler}");
        spec.intervalMs = 1000;
        prometheus::PrometheusSource source(QStringLiteral("p"), spec, m_endpoint, hub,
                                            async::Clock::system());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const auto stats = run(source.backfill(now - 60000, now, 60));
        QCOMPARE(stats.error, QString());
        QCOMPARE(stats.range.stepMs, Q_INT64_C(1000)); // a minute over 60 px
        QVERIFY(stats.series >= 1);
        QVERIFY(stats.points >= 2 * stats.series);
        QVERIFY(!source.seriesIds().isEmpty());
        const QString id = source.seriesIds().first();
        const qsizetype filled = qsizetype(hub.history(id).size());
        QVERIFY(filled >= 2);
        // Live: one instant query adds one point per series after the backfilled ones.
        run(source.pollOnce());
        QCOMPARE(qsizetype(hub.history(id).size()), filled + 1);
        QVERIFY(hub.history(id).lastTime() >= now);
        run(source.stop());
    }

    void aNewerBackfillWinsAndNoneReachesTheFuture() {
        sensors::SensorHub hub(async::Clock::system());
        prometheus::PromSpec spec;
        spec.url = m_prometheus->url();
        spec.query = QStringLiteral("up{job=\"self\"}");
        spec.intervalMs = 1000;
        prometheus::PrometheusSource source(QStringLiteral("p"), spec, m_endpoint, hub,
                                            async::Clock::system());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        // Both asked before either is answered: the first (a wider window) must not draw over
        // the second, whenever its answer comes.
        auto wide = source.backfill(now - 3600000, now, 100);
        auto narrow = source.backfill(now - 30000, now, 30);
        const auto wideStats = run(std::move(wide));
        const auto narrowStats = run(std::move(narrow));
        QCOMPARE(wideStats.error, QStringLiteral("superseded by a newer backfill"));
        QCOMPARE(narrowStats.error, QString());
        QVERIFY(!source.seriesIds().isEmpty());
        const QString id = source.seriesIds().first();
        QVERIFY(hub.history(id).lastTime() <= now); // never a point in the future
        QVERIFY(hub.history(id).firstTime() >= now - 31000 - 1000);
        // A narrower window later keeps what a wider one drew before it.
        const qint64 later = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(run(source.backfill(later - 60000, later, 60)).error, QString());
        const qint64 first = hub.history(id).firstTime();
        QCOMPARE(run(source.backfill(later - 10000, later, 10)).error, QString());
        QCOMPARE(hub.history(id).firstTime(), first);
        run(source.stop());
    }

    void seriesThatDifferOnlyByNameAreSaidNotMixed() {
        sensors::SensorHub hub(async::Clock::system());
        prometheus::PromSpec spec;
        spec.url = m_prometheus->url();
        spec.query = QStringLiteral("{job=\"self\",__name__=~\"up|scrape_samples_scraped\"}");
        prometheus::PrometheusSource source(QStringLiteral("p"), spec, m_endpoint, hub,
                                            async::Clock::system());
        QStringList said;
        connect(&source, &prometheus::PrometheusSource::logMessage, this,
                [&said](const QString &m) { said << m; });
        run(source.pollOnce());
        run(source.pollOnce());
        QCOMPARE(source.seriesIds().size(), 1);
        QCOMPARE(said.size(), 1);
        QVERIFY2(said.first().contains(QLatin1String("differ only by metric name")),
                 qPrintable(said.first()));
        run(source.stop());
    }

    void pastMaxSeriesTheRestIsLeftOutAndSaidOnce() {
        sensors::SensorHub hub(async::Clock::system());
        prometheus::PromSpec spec;
        spec.url = m_prometheus->url();
        // Three series: {n="1"}, {n="2"}, {n="3"}.
        spec.query = QStringLiteral("label_replace(vector(1), \"n\", \"1\", \"\", \"\") or "
                                    "label_replace(vector(2), \"n\", \"2\", \"\", \"\") or "
                                    "label_replace(vector(3), \"n\", \"3\", \"\", \"\")");
        spec.maxSeries = 2;
        prometheus::PrometheusSource source(QStringLiteral("p"), spec, m_endpoint, hub,
                                            async::Clock::system());
        QStringList said;
        connect(&source, &prometheus::PrometheusSource::logMessage, this,
                [&said](const QString &m) { said << m; });
        run(source.pollOnce());
        run(source.pollOnce());
        QCOMPARE(source.seriesIds().size(), 2);
        QCOMPARE(said.size(), 1);
        QVERIFY2(said.first().contains(QLatin1String("more than 2 series")) &&
                     said.first().contains(QLatin1String("max_series")),
                 qPrintable(said.first()));
        run(source.stop());
    }

    void nanAndInfinityAreGapsNotValues() {
        sensors::SensorHub hub(async::Clock::system());
        for (const char *query : {"vector(0/0)", "vector(1/0)", "vector(-1/0)"}) {
            prometheus::PromSpec spec;
            spec.url = m_prometheus->url();
            spec.query = QString::fromLatin1(query);
            prometheus::PrometheusSource source(QString::fromLatin1(query), spec, m_endpoint, hub,
                                                async::Clock::system());
            run(source.pollOnce());
            QCOMPARE(source.seriesIds().size(), 1);
            const auto &stats = hub.stats(source.seriesIds().first());
            QCOMPARE(stats.errors, qint64(1));
            QVERIFY(!stats.hasValue);
            QCOMPARE(stats.lastError, sensors::ReadingError::BadData);
            QVERIFY2(stats.lastMessage.endsWith(QLatin1String("Inf")) ||
                         stats.lastMessage == QLatin1String("NaN"),
                     qPrintable(stats.lastMessage));
            const auto now = QDateTime::currentMSecsSinceEpoch();
            QVERIFY(std::isnan(hub.history(source.seriesIds().first()).lastValue()));
            QCOMPARE(run(source.backfill(now - 60000, now, 60)).error, QString()); // no crash
            run(source.stop());
        }
    }

    void aHugeWindowStaysUnderTheCapAndPrometheusTakesIt() {
        net::HttpClient client;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const auto range = prometheus::rangeFor(now - Q_INT64_C(30) * 86400000, now, 200000);
        QVERIFY(range.points() <= prometheus::kMaxPointsPerSeries);
        QVERIFY(run(prometheus::rangeQuery(client, m_endpoint, QStringLiteral("up"), range)).ok());
        // The same window at a 1 s step is what Prometheus refuses.
        auto tooFine = range;
        tooFine.stepMs = 1000;
        const auto refused =
            run(prometheus::rangeQuery(client, m_endpoint, QStringLiteral("up"), tooFine));
        QCOMPARE(refused.errorType, QStringLiteral("bad_data"));
        QVERIFY2(refused.error.contains(QLatin1String("11,000 points")), qPrintable(refused.error));
    }

    void badPromqlAndAnUnreachableServerSayWhy() {
        net::HttpClient client;
        const auto bad =
            run(prometheus::instantQuery(client, m_endpoint, QStringLiteral("sum(up")));
        QCOMPARE(bad.errorType, QStringLiteral("bad_data"));
        QVERIFY2(bad.error.contains(QLatin1String("parse error")), qPrintable(bad.error));
        prometheus::PromEndpoint nowhere;
        nowhere.base = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(util::freeLoopbackPort()));
        const auto down = run(prometheus::instantQuery(client, nowhere, QStringLiteral("up")));
        QCOMPARE(down.errorType, QStringLiteral("unreachable"));
        QVERIFY2(down.message().contains(QLatin1String("refused")), qPrintable(down.message()));
        // A source turns it into failed readings with the message, and says it once.
        sensors::SensorHub hub(async::Clock::system());
        prometheus::PromSpec spec;
        spec.url = m_prometheus->url();
        spec.query = QStringLiteral("up{job=\"self\"}");
        prometheus::PrometheusSource source(QStringLiteral("p"), spec, m_endpoint, hub,
                                            async::Clock::system());
        run(source.pollOnce());
        QCOMPARE(source.seriesIds().size(), 1);
        prometheus::PrometheusSource broken(QStringLiteral("p2"), spec, nowhere, hub,
                                            async::Clock::system());
        QStringList said;
        connect(&broken, &prometheus::PrometheusSource::logMessage, this,
                [&said](const QString &m) { said << m; });
        run(broken.pollOnce());
        run(broken.pollOnce());
        QCOMPARE(said.size(), 1);
        QVERIFY(broken.stateText().startsWith(QLatin1String("unreachable")));
        run(source.stop());
        run(broken.stop());
    }

    void theEnvelopeKeepsASpikeThatAPlainQueryLoses() {
        // One scrape at 100 between scrapes at 1.
        const auto spiked = [this] {
            const auto r =
                query(m_endpoint, QStringLiteral("vigil_sensor_value{sensor=\"spiky\"}"));
            return !r.series.isEmpty() && r.series[0].samples[0].value == 100;
        };
        m_vigil->set(100);
        QTRY_VERIFY_WITH_TIMEOUT(spiked(), 15000);
        m_vigil->set(1);
        QTRY_VERIFY_WITH_TIMEOUT(!spiked(), 15000);
        // Two of the backfill's 4 s steps and more: its last step ends at a multiple of 4 s
        // before now, and the spike must be inside it.
        test::spin(9000ms);
        // The raw samples say when the spike was: from S (100) until the next sample S2.
        const auto raw =
            query(m_endpoint, QStringLiteral("vigil_sensor_value{sensor=\"spiky\"}[60s]"));
        QCOMPARE(raw.series.size(), 1);
        qint64 spikeEnd = 0;
        const auto &samples = raw.series[0].samples;
        for (qsizetype i = 0; i + 1 < samples.size(); ++i) {
            if (samples[i].value == 100 && samples[i + 1].value != 100)
                spikeEnd = samples[i + 1].timeMs;
        }
        QVERIFY(spikeEnd != 0);
        // Steps of 20 s ending at S2: no step lands inside the spike, so a plain query misses it.
        prometheus::RangeStep range;
        range.stepMs = 20000;
        range.endMs = spikeEnd;
        range.startMs = spikeEnd - 2 * range.stepMs;
        net::HttpClient client;
        const QString q = QStringLiteral("vigil_sensor_value{sensor=\"spiky\"}");
        const auto plain = run(prometheus::rangeQuery(client, m_endpoint, q, range));
        const auto envelope = run(prometheus::rangeQuery(
            client, m_endpoint, prometheus::envelopeQuery(q, true, range.stepMs, 1000), range));
        const auto maxOf = [](const prometheus::PromResult &r) {
            double m = 0;
            for (const auto &s : r.series)
                for (const auto &p : s.samples)
                    m = std::max(m, p.value);
            return m;
        };
        QVERIFY2(maxOf(plain) < 100, qPrintable(QString::number(maxOf(plain)))); // missed
        QVERIFY(maxOf(plain) > 0);                                               // it did answer
        QCOMPARE(maxOf(envelope), 100.0);
        // And a backfill of the last two minutes at 30 px keeps it in the chart's history.
        sensors::SensorHub hub(async::Clock::system());
        prometheus::PromSpec spec;
        spec.url = m_prometheus->url();
        spec.query = q;
        spec.intervalMs = 1000;
        prometheus::PrometheusSource source(QStringLiteral("p"), spec, m_endpoint, hub,
                                            async::Clock::system());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const auto stats = run(source.backfill(now - 120000, now, 30));
        QCOMPARE(stats.range.stepMs, Q_INT64_C(4000));
        double highest = 0;
        QVERIFY(!source.seriesIds().isEmpty());
        for (const auto &s : hub.history(source.seriesIds().first()).samples(0, now + 60000))
            highest = std::max(highest, s.v);
        QCOMPARE(highest, 100.0);
        run(source.stop());
    }
};

QTEST_GUILESS_MAIN(TestPromSource)
#include "tst_promsource.moc"
