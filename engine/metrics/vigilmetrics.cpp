// SPDX-License-Identifier: Apache-2.0
#include "vigilmetrics.h"

#include "histogram.h"
#include "metricsregistry.h"

#include "async/looplagprobe.h"
#include "sensors/sensorhub.h"

#include <unordered_map>

namespace vigil::metrics {

namespace {

QString sourceLabel(const sensors::Sensor &s) {
    switch (s.kind()) {
    case sensors::SensorKind::Simulated:
        return QStringLiteral("simulated");
    case sensors::SensorKind::Instrument:
        return QStringLiteral("instrument");
    case sensors::SensorKind::System:
        return QStringLiteral("system");
    case sensors::SensorKind::HttpJson:
        return QStringLiteral("http");
    case sensors::SensorKind::Modbus:
        return QStringLiteral("modbus");
    case sensors::SensorKind::Stream:
        return s.id().section(u':', 0, 0); // "mqtt:host:port/filter|topic" -> "mqtt"
    }
    return {};
}

/// Read latencies per sensor, observed as readings arrive; lives as a child of the hub.
class SensorLatencies : public QObject {
public:
    explicit SensorLatencies(sensors::SensorHub &hub)
        : QObject(&hub) {
        connect(&hub, &sensors::SensorHub::readingAdded, this,
                [this, &hub](const QString &id, const sensors::Reading &r) {
                    // A stream's messages are pushed, not read: they have no read latency.
                    if (r.error != sensors::ReadingError::None && r.latencyMs <= 0)
                        return;
                    if (const auto s = hub.sensor(id);
                        s && s->kind() != sensors::SensorKind::Stream)
                        of(id).observe(r.latencyMs / 1000.0);
                });
        connect(&hub, &sensors::SensorHub::sensorRemoved, this,
                [this](const QString &id) { m_latency.erase(id); });
    }
    Histogram *find(const QString &id) {
        const auto it = m_latency.find(id);
        return it == m_latency.end() ? nullptr : &it->second;
    }

private:
    Histogram &of(const QString &id) {
        auto it = m_latency.find(id);
        if (it == m_latency.end())
            it = m_latency.emplace(id, Histogram(Histogram::latencyBounds())).first;
        return it->second;
    }
    std::unordered_map<QString, Histogram> m_latency;
};

/// The series /metrics shows: all but those read from Prometheus, which has them already; a
/// dashboard watching its own Vigil through Prometheus would otherwise feed them back for ever
/// ("x via Prometheus via Prometheus …", found in the GUI trial).
QStringList exportedIds(const sensors::SensorHub &hub) {
    QStringList out;
    for (const QString &id : hub.ids()) {
        if (!id.startsWith(QLatin1String("prometheus:")))
            out << id;
    }
    return out;
}

Labels idLabels(const sensors::SensorHub &hub, const QString &id) {
    const auto s = hub.sensor(id);
    return {{QStringLiteral("sensor"), s ? s->name() : id}, {QStringLiteral("id"), id}};
}

void writeSensorValues(ExpositionWriter &out, const sensors::SensorHub &hub,
                       const QStringList &ids) {
    out.family("vigil_sensor_value", QStringLiteral("The sensor's last value, in its unit."),
               MetricType::Gauge);
    for (const QString &id : ids) {
        const auto &stats = hub.stats(id);
        const auto s = hub.sensor(id);
        if (!stats.hasValue || !s)
            continue;
        out.sample("vigil_sensor_value",
                   {{QStringLiteral("sensor"), s->name()},
                    {QStringLiteral("id"), id},
                    {QStringLiteral("unit"), s->unit()},
                    {QStringLiteral("source"), sourceLabel(*s)}},
                   stats.lastValue);
    }
}

void writeSensorReads(ExpositionWriter &out, const sensors::SensorHub &hub,
                      const QStringList &ids) {
    out.family("vigil_sensor_reads_total",
               QStringLiteral("Reads (or messages) by outcome: ok, timeout, failed, skipped."),
               MetricType::Counter);
    for (const QString &id : ids) {
        const auto &st = hub.stats(id);
        const Labels labels = idLabels(hub, id);
        const std::pair<const char *, qint64> outcomes[] = {{"ok", st.ok},
                                                            {"timeout", st.timeouts},
                                                            {"failed", st.errors},
                                                            {"skipped", st.skipped}};
        for (const auto &[outcome, n] : outcomes)
            out.sample("vigil_sensor_reads_total",
                       labels + Labels{{QStringLiteral("outcome"), QString::fromLatin1(outcome)}},
                       double(n));
    }
}

void writeSensorStates(ExpositionWriter &out, const sensors::SensorHub &hub, const QStringList &ids,
                       SensorLatencies &latencies) {
    out.family("vigil_sensor_read_latency_seconds",
               QStringLiteral("How long each read took, for polled sensors."),
               MetricType::Histogram);
    for (const QString &id : ids) {
        if (const Histogram *h = latencies.find(id))
            h->write(out, "vigil_sensor_read_latency_seconds", idLabels(hub, id));
    }
    out.family("vigil_sensor_alarm_level",
               QStringLiteral("The alarm state: 0 normal, 1 warning, 2 alarm."), MetricType::Gauge);
    for (const QString &id : ids)
        out.sample("vigil_sensor_alarm_level", idLabels(hub, id), double(int(hub.stats(id).level)));
    out.family("vigil_sensor_stale",
               QStringLiteral("1 while a stream series is past 3x its expected interval."),
               MetricType::Gauge);
    for (const QString &id : ids)
        out.sample("vigil_sensor_stale", idLabels(hub, id), hub.stats(id).stale ? 1 : 0);
}

} // namespace

void addSensorMetrics(MetricsRegistry &registry, sensors::SensorHub &hub) {
    auto *latencies = new SensorLatencies(hub);
    registry.add(latencies, [&hub, latencies](ExpositionWriter &out) {
        const QStringList ids = exportedIds(hub);
        writeSensorValues(out, hub, ids);
        writeSensorReads(out, hub, ids);
        writeSensorStates(out, hub, ids, *latencies);
    });
}

void addLoopLagMetrics(MetricsRegistry &registry, QObject *owner, async::LoopLagProbe *probe) {
    if (!probe) {
        probe = new async::LoopLagProbe(std::chrono::milliseconds(100), 16, owner);
        probe->start();
    }
    auto histogram = std::make_shared<Histogram>(Histogram::lagBounds());
    QObject::connect(probe, &async::LoopLagProbe::sampled, owner,
                     [histogram](double lagMs) { histogram->observe(lagMs / 1000.0); });
    registry.add(owner, [histogram](ExpositionWriter &out) {
        out.family("vigil_event_loop_lag_seconds",
                   QStringLiteral("How late a 100 ms lag probe on the main event loop wakes."),
                   MetricType::Histogram);
        histogram->write(out, "vigil_event_loop_lag_seconds");
    });
}

} // namespace vigil::metrics

namespace vigil::metrics {

namespace {
struct TransferNames {
    const char *items;
    const char *planned;
    const char *inFlight;
    const char *retries;
    const char *pauses;
    const char *throttled;
    const char *bytes;
    const char *what;
    const char *held = nullptr; ///< batches only: items waiting for their host
};

const TransferNames kBatchNames{"vigil_batch_items_total",
                                "vigil_batch_items_planned_total",
                                "vigil_batch_requests_in_flight",
                                "vigil_batch_retries_total",
                                "vigil_batch_host_pauses_total",
                                "vigil_batch_throttled_total",
                                "vigil_batch_received_bytes_total",
                                "batch",
                                "vigil_batch_items_held"};
const TransferNames kDownloadNames{
    "vigil_download_items_total",          "vigil_download_items_planned_total",
    "vigil_download_requests_in_flight",   "vigil_download_retries_total",
    "vigil_download_host_pauses_total",    "vigil_download_throttled_total",
    "vigil_download_received_bytes_total", "download"};

void writeTransfer(ExpositionWriter &out, const TransferNames &n,
                   const fetch::TransferCounters &c) {
    const QString what = QString::fromLatin1(n.what);
    out.family(
        n.items,
        QStringLiteral("Finished %1 items by status; skipped were done before this run.").arg(what),
        MetricType::Counter);
    const std::pair<const char *, long long> statuses[] = {{"ok", c.ok},
                                                           {"failed", c.failed},
                                                           {"timeout", c.timeout},
                                                           {"cancelled", c.cancelled},
                                                           {"skipped", c.skipped}};
    for (const auto &[status, count] : statuses)
        out.sample(n.items, {{QStringLiteral("status"), QString::fromLatin1(status)}},
                   double(count));
    out.family(n.planned, QStringLiteral("Items handed to %1 runs (this shard's part).").arg(what),
               MetricType::Counter);
    out.sample(n.planned, double(c.planned));
    out.family(n.inFlight,
               QStringLiteral("Requests underway, waits for the host's rate limit included."),
               MetricType::Gauge);
    out.sample(n.inFlight, double(c.inFlight));
    out.family(n.retries, QStringLiteral("Attempts after an item's first."), MetricType::Counter);
    out.sample(n.retries, double(c.retries));
    out.family(n.pauses,
               QStringLiteral("HTTP 429 answers with Retry-After that paused a host (and 503s, "
                              "with a learned rate)."),
               MetricType::Counter);
    out.sample(n.pauses, double(c.hostPauses));
    out.family(n.throttled,
               QStringLiteral("HTTP 429 and 503 answers (a server's \"slow down\"), every "
                              "attempt."),
               MetricType::Counter);
    out.sample(n.throttled, double(c.throttled));
    out.family(n.bytes, QStringLiteral("Response body bytes received."), MetricType::Counter);
    out.sample(n.bytes, double(c.bytes));
    if (n.held) {
        out.family(n.held,
                   QStringLiteral("Items waiting for their host: paused, at its per-host limit or "
                                  "rate, or in a breaker time-out."),
                   MetricType::Gauge);
        out.sample(n.held, double(c.held));
    }
}
} // namespace

void addTransferMetrics(MetricsRegistry &registry, QObject *owner, TransferKind kind,
                        std::shared_ptr<const fetch::TransferCounters> counters) {
    const TransferNames &names = kind == TransferKind::Batch ? kBatchNames : kDownloadNames;
    registry.add(owner, [&names, counters = std::move(counters)](ExpositionWriter &out) {
        writeTransfer(out, names, *counters);
    });
}

void addShardInfo(MetricsRegistry &registry, QObject *owner, int index, int count) {
    registry.add(owner, [index, count](ExpositionWriter &out) {
        out.family("vigil_shard_info",
                   QStringLiteral("The part of a sharded batch this process runs (0-based)."),
                   MetricType::Gauge);
        out.sample("vigil_shard_info",
                   {{QStringLiteral("shard"), QString::number(index)},
                    {QStringLiteral("shards"), QString::number(count)}},
                   1);
    });
}

} // namespace vigil::metrics
