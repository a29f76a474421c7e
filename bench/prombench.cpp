// SPDX-License-Identifier: Apache-2.0
#include "prombench.h"

#include "async/looplagprobe.h"
#include "async/sleep.h"
#include "net/httpclient.h"
#include "prometheus/promsource.h"
#include "sensors/decimation.h"
#include "sensors/sensorhub.h"
#include "util/childprocess.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cmath>
#include <stdexcept>

namespace vigil::bench {

using namespace std::chrono_literals;

QString PromBenchResult::summaryLine() const {
    return QStringLiteral("bench-prometheus series=%1 queries=%2 step_s=%3 samples=%4 points=%5 "
                          "backfill_ms=%6 curl_ms=%7 ratio=%8 loop_lag_p99_ms=%9 "
                          "loop_lag_max_ms=%10 curl_floor_ms=%11")
        .arg(series)
        .arg(queries)
        .arg(double(stepMs) / 1000.0)
        .arg(samples)
        .arg(points)
        .arg(vigilMs, 0, 'f', 1)
        .arg(curlMs, 0, 'f', 1)
        .arg(curlMs > 0 ? vigilMs / curlMs : 0.0, 0, 'f', 2)
        .arg(loopLagP99Ms, 0, 'f', 2)
        .arg(loopLagMaxMs, 0, 'f', 2)
        .arg(curlFloorMs, 0, 'f', 1);
}

namespace {
QString tool(const char *name) {
    const QString path = QStandardPaths::findExecutable(QString::fromLatin1(name));
    if (path.isEmpty())
        throw std::runtime_error(std::string(name) + " is not installed");
    return path;
}

/// OpenMetrics text: @p series series of 1 s samples ending @p endS, each a sine with noise and
/// a one-sample spike every 7 minutes.
QByteArray syntheticSeries(int series, qint64 startS, qint64 endS) {
    QByteArray out = "# TYPE bench_value gauge\n";
    for (int k = 0; k < series; ++k) {
        quint32 noise = 12345u + quint32(k);
        for (qint64 t = startS; t <= endS; ++t) {
            noise = noise * 1664525u + 1013904223u;
            double v = 50 + 20 * std::sin(double(t) / 300.0 + k) + double(noise >> 24) / 64.0;
            if ((t + k * 13) % 420 == 0)
                v += 500; // one sample: a plain query at a 3 s step would mostly miss it
            out += "bench_value{series=\"" + QByteArray::number(k) + "\"} " +
                   QByteArray::number(v, 'f', 3) + ' ' + QByteArray::number(t) + '\n';
        }
    }
    out += "# EOF\n";
    return out;
}

QCoro::Task<> waitForExit(QProcess &p) {
    while (p.state() != QProcess::NotRunning)
        co_await async::sleepFor(async::Clock::system(), 1ms);
}

/// Writes the blocks and starts Prometheus on them; returns its base URL.
QCoro::Task<QString> startPrometheus(QProcess &prometheus, const QTemporaryDir &dir,
                                     const PromBenchOptions &o, qint64 nowS) {
    const QString om = dir.filePath(QStringLiteral("series.om"));
    QFile f(om);
    const qint64 spanS = qint64(o.hours * 3600) + 120;
    if (!f.open(QIODevice::WriteOnly) || f.write(syntheticSeries(o.series, nowS - spanS, nowS)) < 0)
        throw std::runtime_error("cannot write the synthetic series");
    f.close();
    QProcess blocks;
    blocks.setProcessChannelMode(QProcess::MergedChannels);
    blocks.start(tool("promtool"),
                 {QStringLiteral("tsdb"), QStringLiteral("create-blocks-from"),
                  QStringLiteral("openmetrics"), om, dir.filePath(QStringLiteral("data"))});
    auto creating = waitForExit(blocks);
    co_await creating;
    if (blocks.exitCode() != 0)
        throw std::runtime_error("promtool: " + blocks.readAll().toStdString());
    QFile config(dir.filePath(QStringLiteral("prometheus.yml")));
    if (!config.open(QIODevice::WriteOnly) || config.write("global:\n  scrape_interval: 15s\n") < 0)
        throw std::runtime_error("cannot write the Prometheus config");
    config.close();
    const quint16 port = util::freeLoopbackPort();
    prometheus.setProcessChannelMode(QProcess::MergedChannels);
    prometheus.start(tool("prometheus"),
                     {QStringLiteral("--config.file=") + config.fileName(),
                      QStringLiteral("--storage.tsdb.path=") + dir.filePath(QStringLiteral("data")),
                      QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port),
                      QStringLiteral("--log.level=warn")});
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(port);
    net::HttpClient client;
    for (int i = 0; i < 300; ++i) {
        net::HttpRequest ready;
        ready.url = QUrl(url + QStringLiteral("/-/ready"));
        auto asking = client.send(ready);
        const net::HttpResponse answer = co_await asking;
        if (answer.status == 200)
            co_return url;
        if (prometheus.state() == QProcess::NotRunning)
            break;
        co_await async::sleepFor(async::Clock::system(), 100ms);
    }
    throw std::runtime_error("prometheus did not start: " + prometheus.readAll().toStdString());
}
/// The backfill the dashboard does: one source per series, all at once, each two query_range
/// calls (max and min per step).
QCoro::Task<> vigilBackfill(const QString &url, const PromBenchOptions &o, qint64 fromMs,
                            qint64 toMs, sensors::SensorHub &hub, PromBenchResult &r) {
    std::vector<std::unique_ptr<prometheus::PrometheusSource>> sources;
    std::vector<QCoro::Task<prometheus::BackfillStats>> running;
    prometheus::PromEndpoint endpoint;
    endpoint.base = QUrl(url);
    endpoint.timeout = 60s;
    QElapsedTimer wall;
    wall.start();
    for (int k = 0; k < o.series; ++k) {
        prometheus::PromSpec spec;
        spec.url = url;
        spec.query = QStringLiteral("bench_value{series=\"%1\"}").arg(k);
        spec.intervalMs = 1000;
        sources.push_back(std::make_unique<prometheus::PrometheusSource>(
            QStringLiteral("s%1").arg(k), spec, endpoint, hub, async::Clock::system()));
    }
    for (auto &source : sources)
        running.push_back(source->backfill(fromMs, toMs, o.widthPx));
    for (auto &task : running) {
        const prometheus::BackfillStats stats = co_await task;
        if (!stats.error.isEmpty())
            throw std::runtime_error("backfill: " + stats.error.toStdString());
        r.stepMs = stats.range.stepMs;
        r.samples += stats.points;
    }
    r.vigilMs = double(wall.nsecsElapsed()) / 1e6;
    r.queries = 2 * o.series;
    for (auto &source : sources) {
        for (const QString &id : source->seriesIds())
            r.points +=
                sensors::decimate(hub.history(id).snapshot(fromMs, toMs), fromMs, toMs, o.widthPx)
                    .size();
        auto stopping = source->stop();
        co_await stopping;
    }
}

/// curl's own start and one trivial request (/-/ready), in ms: the floor inside curl's figure.
QCoro::Task<double> curlFloor(const QString &url) {
    QProcess curl;
    QElapsedTimer wall;
    wall.start();
    curl.start(tool("curl"),
               {QStringLiteral("--silent"), QStringLiteral("--fail"), QStringLiteral("-o"),
                QStringLiteral("/dev/null"), url + QStringLiteral("/-/ready")});
    auto finishing = waitForExit(curl);
    co_await finishing;
    co_return double(wall.nsecsElapsed()) / 1e6;
}

/// The same query_range calls made by curl, as many at once; its wall time in ms.
QCoro::Task<double> curlBackfill(const QString &url, const PromBenchOptions &o, qint64 fromMs,
                                 qint64 toMs) {
    const auto range = prometheus::rangeFor(fromMs, toMs, o.widthPx, 1000);
    QStringList args{QStringLiteral("--parallel"), QStringLiteral("--parallel-max"),
                     QString::number(2 * o.series), QStringLiteral("--silent"),
                     QStringLiteral("--fail")};
    const auto seconds = [](qint64 ms) { return QString::number(double(ms) / 1000.0, 'f', 3); };
    for (int k = 0; k < o.series; ++k) {
        const QString q = QStringLiteral("bench_value{series=\"%1\"}").arg(k);
        for (const bool max : {true, false})
            args << QStringLiteral("-o") << QStringLiteral("/dev/null")
                 << prometheus::apiUrl(QUrl(url), QStringLiteral("/api/v1/query_range"),
                                       {{QStringLiteral("query"),
                                         prometheus::envelopeQuery(q, max, range.stepMs, 1000)},
                                        {QStringLiteral("start"), seconds(range.startMs)},
                                        {QStringLiteral("end"), seconds(range.endMs)},
                                        {QStringLiteral("step"), seconds(range.stepMs)}})
                        .toString(QUrl::FullyEncoded);
    }
    QProcess curl;
    QElapsedTimer wall;
    wall.start();
    curl.start(tool("curl"), args);
    auto finishing = waitForExit(curl);
    co_await finishing;
    if (curl.exitCode() != 0)
        throw std::runtime_error("curl failed");
    co_return double(wall.nsecsElapsed()) / 1e6;
}
} // namespace

QCoro::Task<PromBenchResult> runPromBench(PromBenchOptions options) {
    QTemporaryDir dir;
    QProcess prometheus;
    const qint64 nowS = QDateTime::currentSecsSinceEpoch();
    auto starting = startPrometheus(prometheus, dir, options, nowS);
    const QString url = co_await starting;
    const qint64 toMs = (nowS - 60) * 1000; // inside the written data, clear of its end
    const qint64 fromMs = toMs - qint64(options.hours * 3600 * 1000);
    PromBenchResult r;
    r.series = options.series;
    // Warm Prometheus' caches for both: the first reader of a block would pay for everyone.
    auto warming = curlBackfill(url, options, fromMs, toMs);
    co_await warming;
    sensors::SensorHub hub(async::Clock::system());
    async::LoopLagProbe probe(5ms, 100000);
    probe.start();
    auto filling = vigilBackfill(url, options, fromMs, toMs, hub, r);
    co_await filling;
    probe.stop();
    r.loopLagP99Ms = probe.p99Ms();
    r.loopLagMaxMs = probe.maxMs();
    auto timing = curlBackfill(url, options, fromMs, toMs);
    r.curlMs = co_await timing;
    auto flooring = curlFloor(url);
    r.curlFloorMs = co_await flooring;
    util::stopChild(prometheus);
    co_return r;
}

} // namespace vigil::bench
