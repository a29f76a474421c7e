// SPDX-License-Identifier: Apache-2.0
#include "hostsbench.h"

#include "demoprocess.h"

#include "async/clock.h"
#include "demo/hostoutage.h"
#include "fetch/batchrunner.h"
#include "net/httpclient.h"
#include "util/processstats.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>

#include <cmath>

namespace vigil::bench {

double HostsBenchResult::outageRps() const {
    const double span = downToS - downFromS - 1.0; // the first second is the 429s arriving
    return span > 0 ? double(acceptedInOutage) / span : 0;
}

double HostsBenchResult::outageRatio() const {
    return openAllowedRps > 0 ? outageRps() / openAllowedRps : 0;
}

QString HostsBenchResult::summaryLine() const {
    const HostsBenchOptions &o = options;
    const bool met = ok == o.items && early == 0 && outageRatio() >= 0.9;
    return QStringLiteral("bench-fetch-hosts hosts=%1 items=%2 c=%3 per_host=%4 rate=%5 ok=%6 "
                          "wall_s=%7 ideal_s=%8 efficiency=%9 down=%10-%11 outage_rps=%12 "
                          "open_allowed_rps=%13 outage_ratio=%14 refused=%15 early=%16 "
                          "throttled=%17 cpu_us_per_req=%18 rss_start_mb=%19 rss_end_mb=%20 "
                          "peak_rss_mb=%21 met=%22")
        .arg(o.hosts)
        .arg(o.items)
        .arg(o.concurrency)
        .arg(o.perHost)
        .arg(o.rate)
        .arg(ok)
        .arg(wallS, 0, 'f', 2)
        .arg(idealS, 0, 'f', 2)
        .arg(wallS > 0 ? idealS / wallS : 0, 0, 'f', 3)
        .arg(downFromS, 0, 'f', 1)
        .arg(downToS, 0, 'f', 1)
        .arg(outageRps(), 0, 'f', 0)
        .arg(openAllowedRps, 0, 'f', 0)
        .arg(outageRatio(), 0, 'f', 3)
        .arg(refused)
        .arg(early)
        .arg(throttled)
        .arg(ok > 0 ? cpuS / ok * 1e6 : 0, 0, 'f', 0)
        .arg(rssStartMb, 0, 'f', 1)
        .arg(rssEndMb, 0, 'f', 1)
        .arg(peakRssMb, 0, 'f', 1)
        .arg(met ? QStringLiteral("yes") : QStringLiteral("no"));
}

namespace {
fetch::BatchSpec hostsSpec(const HostsBenchOptions &o, quint16 port, double from, double to) {
    fetch::BatchSpec spec;
    spec.urlTemplate = QStringLiteral("{item}");
    const QString query = QStringLiteral("?down=%1-%2&every=%3&ms=%4")
                              .arg(from)
                              .arg(to)
                              .arg(o.downEvery)
                              .arg(o.latencyMs);
    for (int i = 0; i < o.items; ++i)
        spec.items << QStringLiteral("http://%1:%2/hosts/%3%4")
                          .arg(demo::demoHostAddress(1 + i % o.hosts))
                          .arg(port)
                          .arg(i)
                          .arg(query);
    spec.concurrency = o.concurrency;
    spec.perHost = o.perHost;
    spec.ratePerHost = o.rate;
    spec.retries = 2;
    spec.timeout = std::chrono::seconds(30);
    return spec;
}

/// The outage sits in the middle of what the run would take without it.
std::pair<double, double> outageWindow(const HostsBenchOptions &o) {
    const double perHostS = std::ceil(double(o.items) / o.hosts) / o.rate;
    const double from = std::max(1.0, std::round((perHostS - o.downS) / 2.0));
    return {from, from + o.downS};
}

void readServerView(HostsBenchResult &r, const QByteArray &body) {
    const QJsonObject view = QJsonDocument::fromJson(body).object();
    r.acceptedInOutage = qint64(view.value(QStringLiteral("hosts_accepted_in_outage")).toDouble());
    r.refused = qint64(view.value(QStringLiteral("hosts_refused")).toDouble());
    r.early = qint64(view.value(QStringLiteral("hosts_early")).toDouble());
}
} // namespace

QCoro::Task<HostsBenchResult> runHostsBench(HostsBenchOptions o) {
    util::raiseOpenFileLimit();
    QProcess server;
    std::exception_ptr failure;
    HostsBenchResult result;
    result.options = o;
    try {
        const QStringList args{QStringLiteral("--hosts"), QString::number(o.hosts)};
        auto starting = startDemoProcess(server, o.vigilBinary, args);
        const QString base = co_await starting;
        const std::pair<double, double> window = outageWindow(o);
        result.downFromS = window.first;
        result.downToS = window.second;
        const int downHosts = o.downEvery > 0 ? o.hosts / o.downEvery : 0;
        result.openAllowedRps = (o.hosts - downHosts) * o.rate;
        result.idealS =
            std::ceil(double(o.items) / o.hosts) / o.rate + (downHosts > 0 ? o.downS : 0);
        net::HttpClient client;
        client.setMaxManagers(0);
        fetch::BatchRunner runner(client, async::Clock::system());
        QTimer sampler; // resident memory once the batch is underway, and at its end
        sampler.setSingleShot(true);
        QObject::connect(&sampler, &QTimer::timeout, &sampler,
                         [&result] { result.rssStartMb = util::residentMB(); });
        sampler.start(1000);
        const double cpuBefore = util::processCpuSeconds();
        auto batch =
            runner.run(hostsSpec(o, quint16(QUrl(base).port()), window.first, window.second));
        const auto summary = co_await batch;
        result.cpuS = util::processCpuSeconds() - cpuBefore;
        result.rssEndMb = util::residentMB();
        result.peakRssMb = util::peakRssMB();
        result.ok = summary.ok;
        result.failed = summary.failed + summary.timeout;
        result.wallS = summary.wallS;
        result.throttled = summary.throttled;
        net::HttpRequest statsRequest;
        statsRequest.url = QUrl(base + QStringLiteral("/stats"));
        auto asking = client.send(statsRequest);
        const auto stats = co_await asking;
        readServerView(result, stats.body);
    } catch (...) {
        failure = std::current_exception();
    }
    stopDemoProcess(server);
    if (failure)
        std::rethrow_exception(failure);
    co_return result;
}

} // namespace vigil::bench
