// SPDX-License-Identifier: Apache-2.0
#include "promsource.h"

#include "async/sleep.h"
#include "net/httpclient.h"
#include "sensors/sensorhub.h"
#include "sensors/streamseries.h"
#include "util/logging.h"

#include <QSet>

#include <cmath>
#include <limits>

namespace vigil::prometheus {

namespace {
/// Polls in a row a series may be missing from the result before it is stale.
constexpr int kMissedPollsForStale = 3;

sensors::ReadingError readingError(const PromResult &r) {
    if (r.errorType == QLatin1String("timeout"))
        return sensors::ReadingError::Timeout;
    if (r.errorType == QLatin1String("unreachable") || r.errorType == QLatin1String("unavailable"))
        return sensors::ReadingError::Unavailable;
    return sensors::ReadingError::BadData;
}
} // namespace

PrometheusSource::PrometheusSource(QString id, PromSpec spec, PromEndpoint endpoint,
                                   sensors::SensorHub &hub, async::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_id(std::move(id))
    , m_spec(std::move(spec))
    , m_endpoint(std::move(endpoint))
    , m_hub(hub)
    , m_clock(clock)
    , m_client(std::make_unique<net::HttpClient>(clock))
    , m_status(std::make_shared<sensors::StreamStatus>()) {
    m_status->state = tr("connecting");
}

PrometheusSource::~PrometheusSource() = default;

void PrometheusSource::start() {
    m_tasks.spawn(liveLoop(m_tasks.token()));
}

QCoro::Task<> PrometheusSource::stop() {
    auto closing = m_tasks.close();
    co_await closing;
}

QString PrometheusSource::stateText() const {
    return m_status->state;
}

QCoro::Task<> PrometheusSource::liveLoop(std::stop_token token) {
    const auto interval = std::chrono::milliseconds(m_spec.intervalMs);
    while (!token.stop_requested()) {
        auto polling = pollOnce();
        co_await polling;
        co_await async::sleepFor(m_clock, interval, token); // throws Cancelled on stop
    }
}

QCoro::Task<> PrometheusSource::pollOnce() {
    auto querying = instantQuery(*m_client, m_endpoint, m_spec.query, m_tasks.token());
    const PromResult result = co_await querying;
    if (m_tasks.token().stop_requested())
        co_return;
    if (!result.ok()) {
        failAll(result);
        co_return;
    }
    if (!m_lastError.isEmpty())
        Q_EMIT logMessage(tr("Prometheus %1: answering again").arg(m_id));
    m_lastError.clear();
    QSet<QString> seen;
    QSet<QString> keys;
    for (const PromSeries &series : result.series) {
        if (isDuplicate(series, keys))
            continue;
        const QString id = seriesFor(series);
        if (id.isEmpty() || series.samples.isEmpty())
            continue;
        seen.insert(id);
        ingestSample(id, series.samples.constLast());
    }
    markMissing(seen);
    m_status->connected = true;
    m_status->state = tr("ok, %n series", nullptr, int(m_order.size()));
}

bool PrometheusSource::isDuplicate(const PromSeries &series, QSet<QString> &keys) {
    const QString key = series.key();
    if (!keys.contains(key)) {
        keys.insert(key);
        return false;
    }
    if (!std::exchange(m_saidNameClash, true))
        Q_EMIT logMessage(tr("Prometheus %1: the query gives series that differ only by metric "
                             "name (%2); the first is shown. Query one metric per source, or "
                             "aggregate by a label.")
                              .arg(m_id, key));
    return true;
}

QString PrometheusSource::seriesFor(const PromSeries &series) {
    const QString key = series.key();
    if (const auto it = m_idOfKey.find(key); it != m_idOfKey.end())
        return it->second;
    if (m_order.size() >= m_spec.maxSeries) {
        if (m_overCap++ == 0)
            Q_EMIT logMessage(tr("Prometheus %1: the query gives more than %2 series; the first "
                                 "%2 are shown (raise max_series, or narrow the query)")
                                  .arg(m_id)
                                  .arg(m_spec.maxSeries));
        return {};
    }
    const QString id = m_id + u'|' + key;
    QString name = promSeriesName(m_spec.namePattern, series.labels);
    if (name.isEmpty())
        name = key;
    m_hub.addStream(std::make_shared<sensors::StreamSeries>(id, name, m_spec.unit, m_id, m_status),
                    m_thresholds);
    m_idOfKey.emplace(key, id);
    m_order << id;
    Q_EMIT seriesAdded(id);
    return id;
}

void PrometheusSource::ingestSample(const QString &id, const PromSample &sample) {
    sensors::Reading r;
    r.timeMs = sample.timeMs;
    r.slotTimeMs = sample.timeMs;
    if (std::isfinite(sample.value)) {
        r.value = sample.value;
    } else {
        // A gap: drawn as a break in the line, counted as bad data, never as a value.
        r.error = sensors::ReadingError::BadData;
        r.message = std::isnan(sample.value)
                        ? QStringLiteral("NaN")
                        : (sample.value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf"));
    }
    m_hub.ingest(id, r);
}

void PrometheusSource::failAll(const PromResult &result) {
    const QString message = result.message();
    if (message != m_lastError)
        Q_EMIT logMessage(tr("Prometheus %1: %2").arg(m_id, message));
    m_lastError = message;
    m_status->connected = false;
    m_status->state = message;
    sensors::Reading r;
    r.timeMs = m_clock.wallNow().toMSecsSinceEpoch();
    r.error = readingError(result);
    r.message = message;
    for (const QString &id : std::as_const(m_order))
        m_hub.ingest(id, r);
}

void PrometheusSource::markMissing(const QSet<QString> &seen) {
    for (const QString &id : std::as_const(m_order)) {
        int &missed = m_missedPolls[id];
        missed = seen.contains(id) ? 0 : missed + 1;
        if (missed == kMissedPollsForStale)
            m_hub.setStale(id, true); // the next sample makes it fresh again
    }
}

} // namespace vigil::prometheus
