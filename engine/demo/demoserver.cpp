// SPDX-License-Identifier: Apache-2.0
#include "demoserver.h"

#include "demodata.h"
#include "demoparams.h"
#include "exchange.h"
#include "precisescheduler.h"
#include "requestguard.h"

#include "async/retryafter.h"
#include "net/byterange.h"
#include "util/logging.h"
#include "util/percentile.h"

#include <QHttpServer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTimer>
#include <QUrlQuery>

#include <cmath>

namespace vigil::demo {

namespace {
using Responder = QHttpServerResponder;
using Request = QHttpServerRequest;

constexpr std::size_t kArrivalsKept = 100000;
constexpr qint64 kHugeLength = qint64(1) << 40; // "endless": a terabyte nobody will read
const QByteArray kBytesETag = "\"vigil-demo-bytes-v1\"";
const QByteArray kBytesLastModified = "Thu, 01 Jan 2026 00:00:00 GMT";

struct SensorSpec {
    const char *name;
    const char *unit;
    double setpoint;
    double sigma;
};
constexpr SensorSpec kServerSensors[] = {
    {"Reactor_Temp", "°C", 150, 2},
    {"Reactor_Press", "bar", 5, 0.1},
    {"Feed_Flow", "L/min", 10, 0.5},
    {"Coolant_Temp", "°C", 25, 1},
};

using params::decoded;
using params::errorJson;
using params::intParam;
using params::toJson;

double probabilityParam(const QUrlQuery &q, const char *key) {
    bool ok = false;
    const double v = q.queryItemValue(QLatin1String(key)).toDouble(&ok);
    return ok ? std::clamp(v, 0.0, 1.0) : 0.0;
}

Exchange::BodySource demoBytes(qint64 base) {
    return [base](qint64 offset, qint64 maxBytes) {
        QByteArray chunk(maxBytes, Qt::Uninitialized);
        fillDemoBytes(chunk.data(), base + offset, maxBytes);
        return chunk;
    };
}
} // namespace

DemoServer::DemoServer(quint32 seed, QObject *parent)
    : QObject(parent)
    , m_http(std::make_unique<QHttpServer>())
    , m_rng(seed) {
    m_uptime.start();
    quint32 sensorSeed = seed;
    for (const auto &s : kServerSensors)
        m_sensors.emplace(QString::fromUtf8(s.name),
                          sensors::MeanRevertingWalk(s.setpoint, s.sigma, 0.1, ++sensorSeed));
    addApiRoutes();
    addBytesRoute();
    addFaultRoutes();
    addFailFirstRoute();
    addQuotaRoute();
    addHostsRoute();
    addEchoRoute();
    addStatsRoute();
}

DemoServer::~DemoServer() = default;

bool DemoServer::listen(quint16 port) {
    auto server = std::make_unique<GuardedTcpServer>(); // Qt HttpServer 6.4 has no size limits
    if (!server->listen(QHostAddress::LocalHost, port)) {
        m_error = QStringLiteral("cannot listen on 127.0.0.1:%1 (is the port in use?)").arg(port);
        return false;
    }
    m_port = server->serverPort();
    m_http->bind(server.release()); // the HTTP server owns it
    return true;
}

QUrl DemoServer::baseUrl() const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

void DemoServer::resetStats() {
    m_peakInFlight = m_inFlight;
    m_requests = 0;
    m_abandoned = 0;
    m_arrivals.clear();
    m_failFirstSeen.clear();
    m_delays.clearLateness();
}

QList<qint64> DemoServer::arrivals(const QString &prefix) const {
    QList<qint64> out;
    for (const auto &[at, path] : m_arrivals) {
        if (path.startsWith(prefix))
            out << at;
    }
    return out;
}

Exchange *DemoServer::begin(const QHttpServerRequest &request, QHttpServerResponder &&responder) {
    ++m_requests;
    m_arrivals.emplace_back(m_uptime.elapsed(), request.url().path());
    if (m_arrivals.size() > kArrivalsKept)
        m_arrivals.pop_front();
    auto *exchange = new Exchange(std::move(responder), this);
    m_peakInFlight = std::max(m_peakInFlight, ++m_inFlight);
    qCDebug(lcDemo) << "request" << request.url().path() << "in flight" << m_inFlight;
    Q_EMIT inFlightChanged(m_inFlight);
    connect(exchange, &Exchange::finished, this, [this](bool completed) {
        --m_inFlight;
        if (!completed) {
            ++m_abandoned;
            qCDebug(lcDemo) << "the client left before the answer";
        }
        Q_EMIT inFlightChanged(m_inFlight);
    });
    return exchange;
}

bool DemoServer::overLimit(int rps) {
    const qint64 now = m_uptime.elapsed();
    while (!m_limitedWindow.empty() && now - m_limitedWindow.front() >= 1000)
        m_limitedWindow.pop_front();
    if (int(m_limitedWindow.size()) >= rps)
        return true;
    m_limitedWindow.push_back(now);
    return false;
}

QByteArray DemoServer::sensorJson(const QString &name) {
    const auto it = m_sensors.find(name);
    QString unit;
    for (const auto &s : kServerSensors) {
        if (name == QLatin1String(s.name))
            unit = QString::fromUtf8(s.unit);
    }
    return toJson({{QStringLiteral("name"), name},
                   {QStringLiteral("value"), it->second.next()},
                   {QStringLiteral("unit"), unit},
                   {QStringLiteral("timestamp"),
                    QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}});
}

// The API the demos and benchmarks call: items, compounds, kinetics, server-side sensors.
void DemoServer::addApiRoutes() {

    // /item/{id}?ms=L&fail=P: small JSON after L ms, or a 500 with probability P.
    m_http->route(QStringLiteral("/item/<arg>"), [this](const QString &id, const Request &req,
                                                        Responder &&r) {
        auto *ex = begin(req, std::move(r));
        const QUrlQuery q(req.url());
        const int ms = intParam(q, "ms", 50, 0, 600000);
        const bool fail = m_rng.generateDouble() < probabilityParam(q, "fail");
        m_delays.callAfter(std::chrono::milliseconds(ms), ex, [ex, id = decoded(id), ms, fail] {
            if (fail)
                return ex->respondJson(500, errorJson(QStringLiteral("injected failure")));
            ex->respondJson(200, toJson({{QStringLiteral("id"), id},
                                         {QStringLiteral("latency_ms"), ms},
                                         {QStringLiteral("value"), double(qHash(id) % 1000)}}));
        });
    });

    // /compound/{name}: PubChem-shaped properties, 404 for unknown names.
    m_http->route(QStringLiteral("/compound/<arg>"), [this](const QString &name, const Request &req,
                                                            Responder &&r) {
        auto *ex = begin(req, std::move(r));
        const int ms = intParam(QUrlQuery(req.url()), "ms", 300, 0, 600000);
        m_delays.callAfter(std::chrono::milliseconds(ms), ex, [ex, name = decoded(name)] {
            const auto c = findCompound(name);
            if (!c)
                return ex->respondJson(
                    404,
                    toJson({{QStringLiteral("Fault"),
                             QJsonObject{
                                 {QStringLiteral("Code"), QStringLiteral("PUGREST.NotFound")},
                                 {QStringLiteral("Message"), QStringLiteral("No CID found")}}}}));
            const QJsonObject props{{QStringLiteral("CID"), c->cid},
                                    {QStringLiteral("MolecularFormula"), QLatin1String(c->formula)},
                                    {QStringLiteral("MolecularWeight"), QString::number(c->weight)},
                                    {QStringLiteral("IUPACName"), QLatin1String(c->iupac)}};
            ex->respondJson(
                200, toJson({{QStringLiteral("PropertyTable"),
                              QJsonObject{{QStringLiteral("Properties"), QJsonArray{props}}}}}));
        });
    });

    // /kinetics/{id}: a rate constant for the compute-stage demo.
    m_http->route(QStringLiteral("/kinetics/<arg>"), [this](const QString &id, const Request &req,
                                                            Responder &&r) {
        auto *ex = begin(req, std::move(r));
        const int ms = intParam(QUrlQuery(req.url()), "ms", 50, 0, 600000);
        m_delays.callAfter(std::chrono::milliseconds(ms), ex, [ex, id = decoded(id)] {
            ex->respondJson(200, toJson({{QStringLiteral("id"), id},
                                         {QStringLiteral("k"), rateConstantFor(id)}}));
        });
    });

    m_http->route(QStringLiteral("/sensors"), [this](const Request &req, Responder &&r) {
        auto *ex = begin(req, std::move(r));
        QJsonArray list;
        for (const auto &s : kServerSensors)
            list.append(QJsonDocument::fromJson(sensorJson(QString::fromUtf8(s.name))).object());
        ex->respondJson(200, toJson({{QStringLiteral("sensors"), list}}));
    });

    m_http->route(QStringLiteral("/sensors/<arg>"), [this](const QString &name, const Request &req,
                                                           Responder &&r) {
        auto *ex = begin(req, std::move(r));
        const QString n = decoded(name);
        if (m_sensors.find(n) == m_sensors.end())
            return ex->respondJson(404, errorJson(QStringLiteral("no sensor named ") + n));
        ex->respondJson(200, sensorJson(n));
    });
}

void DemoServer::addBytesRoute() {
    // /bytes/{n}: n deterministic bytes, streamed, with Range/ETag/Last-Modified.
    // ?norange=1 ignores Range (a server without range support); ?etag=X changes the validator.
    m_http->route(QStringLiteral("/bytes/<arg>"), [this](const QString &count, const Request &req,
                                                         Responder &&r) {
        auto *ex = begin(req, std::move(r));
        bool ok = false;
        const qint64 size = count.toLongLong(&ok);
        if (!ok || size < 0)
            return ex->respondJson(400,
                                   errorJson(QStringLiteral("byte count must be a whole number")));
        const QUrlQuery q(req.url());
        const bool rangeSupported =
            q.queryItemValue(QStringLiteral("norange")) != QLatin1String("1");
        const QByteArray etag = q.hasQueryItem(QStringLiteral("etag"))
                                    ? '"' + q.queryItemValue(QStringLiteral("etag")).toUtf8() + '"'
                                    : kBytesETag;
        HeaderPairs headers{{"Content-Type", "application/octet-stream"},
                            {"ETag", etag},
                            {"Last-Modified", kBytesLastModified}};
        // ?name=X sends a Content-Disposition, hostile names included, for download tests.
        if (q.hasQueryItem(QStringLiteral("name")))
            headers.emplace_back(
                "Content-Disposition",
                "attachment; filename=\"" +
                    q.queryItemValue(QStringLiteral("name"), QUrl::FullyDecoded).toUtf8() + '"');
        if (!rangeSupported)
            return ex->stream(200, headers, size, demoBytes(0));
        headers.emplace_back("Accept-Ranges", "bytes");
        const QByteArray ifRange = req.value("If-Range");
        const QByteArray rangeHeader = req.value("Range");
        if (!rangeHeader.isEmpty() && (ifRange.isEmpty() || ifRange == etag)) {
            const auto range = net::parseRangeHeader(rangeHeader, size);
            if (!range) {
                headers.emplace_back("Content-Range", "bytes */" + QByteArray::number(size));
                return ex->respond(416, {}, "application/octet-stream", headers);
            }
            headers.emplace_back("Content-Range", "bytes " + QByteArray::number(range->first) +
                                                      '-' + QByteArray::number(range->last) + '/' +
                                                      QByteArray::number(size));
            return ex->stream(206, headers, range->length(), demoBytes(range->first));
        }
        ex->stream(200, headers, size, demoBytes(0));
    });
}

// Rate limits and failures on purpose, for retries, timeouts and caps.
void DemoServer::addFaultRoutes() {
    // /limited/{id}?rps=R: 429 with Retry-After beyond R requests/s (?format=date: an HTTP-date).
    m_http->route(QStringLiteral("/limited/<arg>"), [this](const QString &id, const Request &req,
                                                           Responder &&r) {
        auto *ex = begin(req, std::move(r));
        const QUrlQuery q(req.url());
        const int rps = intParam(q, "rps", 5, 1, 100000);
        if (overLimit(rps)) {
            const qint64 waitMs = 1000 - (m_uptime.elapsed() - m_limitedWindow.front());
            const qint64 seconds = std::max<qint64>(1, (waitMs + 999) / 1000);
            const QByteArray retryAfter =
                q.queryItemValue(QStringLiteral("format")) == QLatin1String("date")
                    ? async::formatHttpDate(QDateTime::currentDateTimeUtc().addSecs(seconds + 1))
                    : QByteArray::number(seconds);
            return ex->respondJson(429, errorJson(QStringLiteral("rate limit exceeded")),
                                   {{"Retry-After", retryAfter}});
        }
        ex->respondJson(200, toJson({{QStringLiteral("id"), decoded(id)}}));
    });

    // /flaky/{id}?p=P: 500 or 503 (with Retry-After: 1) with probability P.
    m_http->route(QStringLiteral("/flaky/<arg>"), [this](const QString &id, const Request &req,
                                                         Responder &&r) {
        auto *ex = begin(req, std::move(r));
        if (m_rng.generateDouble() < probabilityParam(QUrlQuery(req.url()), "p")) {
            if (m_rng.bounded(2) == 0)
                return ex->respondJson(500, errorJson(QStringLiteral("injected 500")));
            return ex->respondJson(503, errorJson(QStringLiteral("injected 503")),
                                   {{"Retry-After", "1"}});
        }
        ex->respondJson(200, toJson({{QStringLiteral("id"), decoded(id)}}));
    });

    m_http->route(QStringLiteral("/hang"), [this](const Request &req, Responder &&r) {
        begin(req, std::move(r))->holdOpen();
    });

    // /slowbody?bytes=N&interval-ms=T: N bytes, one every T ms (defaults 20 and 200).
    m_http->route(QStringLiteral("/slowbody"), [this](const Request &req, Responder &&r) {
        auto *ex = begin(req, std::move(r));
        const QUrlQuery q(req.url());
        const int bytes = intParam(q, "bytes", 20, 1, 1 << 20);
        const int interval = intParam(q, "interval-ms", 200, 1, 60000);
        ex->stream(200, {{"Content-Type", "application/octet-stream"}}, bytes, demoBytes(0),
                   std::chrono::milliseconds(interval), 1);
    });

    m_http->route(QStringLiteral("/redirect-loop"), [this](const Request &req, Responder &&r) {
        begin(req, std::move(r))->respond(302, {}, "text/plain", {{"Location", "/redirect-loop"}});
    });

    m_http->route(QStringLiteral("/huge"), [this](const Request &req, Responder &&r) {
        begin(req, std::move(r))
            ->stream(200, {{"Content-Type", "application/octet-stream"}}, kHugeLength,
                     demoBytes(0));
    });

    m_http->route(QStringLiteral("/bad-json"), [this](const Request &req, Responder &&r) {
        begin(req, std::move(r))->respondJson(200, "{\"value\": 12, \"unit\": ");
    });
}

void DemoServer::addFailFirstRoute() {
    // /fail-first/{id}?n=K&status=S&retry-after=R&ms=M&bytes=B&group=G: the first K requests for
    // the id (or the group) get S (default 429; Retry-After: R if given) at once, later ones B demo
    // bytes (default 1000) after M ms. A busy or broken server that recovers.
    m_http->route(QStringLiteral("/fail-first/<arg>"), [this](const QString &id, const Request &req,
                                                              Responder &&r) {
        auto *ex = begin(req, std::move(r));
        const QUrlQuery q(req.url());
        const QString group = q.queryItemValue(QStringLiteral("group"));
        if (++m_failFirstSeen[group.isEmpty() ? decoded(id) : u'=' + group] <=
            intParam(q, "n", 1, 0, 1000000)) {
            const QByteArray wait = q.queryItemValue(QStringLiteral("retry-after")).toUtf8();
            return ex->respondJson(intParam(q, "status", 429, 400, 599),
                                   errorJson(QStringLiteral("failing on purpose")),
                                   wait.isEmpty() ? HeaderPairs{}
                                                  : HeaderPairs{{"Retry-After", wait}});
        }
        const qint64 bytes = intParam(q, "bytes", 1000, 0, 1 << 30);
        auto serve = [ex, bytes] {
            ex->stream(200, {{"Content-Type", "application/octet-stream"}}, bytes, demoBytes(0));
        };
        m_delays.callAfter(std::chrono::milliseconds(intParam(q, "ms", 0, 0, 600000)), ex, serve);
    });
}

void DemoServer::addStatsRoute() {
    // /stats: the server's own view, for benchmarks that run it in another process.
    m_http->route(QStringLiteral("/stats"), [this](const Request &req, Responder &&r) {
        auto *ex = begin(req, std::move(r));
        ex->respondJson(
            200, toJson({{QStringLiteral("in_flight"), m_inFlight - 1},
                         {QStringLiteral("peak_in_flight"), m_peakInFlight},
                         {QStringLiteral("requests"), m_requests - 1},
                         {QStringLiteral("abandoned"), m_abandoned},
                         {QStringLiteral("hosts"), m_hostCount},
                         {QStringLiteral("hosts_requests"), m_outages.requests()},
                         {QStringLiteral("hosts_refused"), m_outages.refused()},
                         {QStringLiteral("hosts_early"), m_outages.early()},
                         {QStringLiteral("hosts_accepted_in_outage"),
                          m_outages.acceptedBetween(m_outagePlan.fromMs + 1000, m_outagePlan.toMs)},
                         {QStringLiteral("late_us_p50"),
                          util::nearestRankPercentile(m_delays.recentLatenessUs(), 50)},
                         {QStringLiteral("late_us_p95"),
                          util::nearestRankPercentile(m_delays.recentLatenessUs(), 95)}}));
    });
}

} // namespace vigil::demo
