// SPDX-License-Identifier: Apache-2.0
// MonitoringSession's Prometheus query sources: series appear as the query gives them, and
// their history is filled back from the server over the charts' window.
#include "monitoringsession.h"

#include "chartlayout.h"
#include "sensorcolors.h"

#include "net/httpclient.h"
#include "prometheus/promsource.h"
#include "sensors/sensorhub.h"

namespace vigil::dashboard {

namespace {
/// The endpoint of @p spec, its secret read from the environment now: held in memory only,
/// never written back or logged. A variable that is not set is said in @p missing.
prometheus::PromEndpoint endpointFor(const prometheus::PromSpec &spec, int timeoutMs,
                                     QString *missing) {
    prometheus::PromEndpoint e;
    e.base = QUrl(spec.url);
    e.timeout = std::chrono::milliseconds(timeoutMs);
    const QString variable = !spec.tokenEnv.isEmpty() ? spec.tokenEnv : spec.passwordEnv;
    const QByteArray secret =
        variable.isEmpty() ? QByteArray() : qgetenv(variable.toLocal8Bit().constData());
    if (!variable.isEmpty() && secret.isEmpty())
        *missing = variable;
    if (!spec.tokenEnv.isEmpty() && !secret.isEmpty())
        e.authorization = "Bearer " + secret;
    else if (!spec.username.isEmpty())
        e.authorization = "Basic " + QByteArray(spec.username.toUtf8() + ':' + secret).toBase64();
    return e;
}
QCoro::Task<> queryAndTell(net::HttpClient &client, prometheus::PromEndpoint endpoint,
                           QString query, std::function<void(const prometheus::PromResult &)> done,
                           std::stop_token token) {
    auto querying = prometheus::instantQuery(client, std::move(endpoint), std::move(query), token);
    const prometheus::PromResult result = co_await querying;
    if (!token.stop_requested())
        done(result);
}
} // namespace

void MonitoringSession::queryPrometheusInBackground(
    SensorConfig config, std::function<void(const prometheus::PromResult &)> done) {
    if (m_closing)
        return;
    QString missing;
    auto endpoint = endpointFor(config.prometheus, config.timeoutMs, &missing);
    m_tasks.spawn(queryAndTell(*m_client, std::move(endpoint), config.prometheus.query,
                               std::move(done), m_tasks.token()));
}

QList<prometheus::PrometheusSource *> MonitoringSession::promSources() const {
    QList<prometheus::PrometheusSource *> out;
    for (const auto &[id, source] : m_promSources)
        out << source.get();
    return out;
}

bool MonitoringSession::addPromSource(const SensorConfig &config) {
    const QString id = config.id();
    QString missing;
    const prometheus::PromEndpoint endpoint =
        endpointFor(config.prometheus, config.timeoutMs, &missing);
    if (!missing.isEmpty())
        Q_EMIT logMessage(tr("Prometheus %1: environment variable %2 is not set; asking "
                             "without it")
                              .arg(id, missing));
    auto source = std::make_unique<prometheus::PrometheusSource>(id, config.prometheus, endpoint,
                                                                 *m_hub, m_clock);
    source->setThresholds(config.thresholds);
    connect(source.get(), &prometheus::PrometheusSource::logMessage, this,
            &MonitoringSession::logMessage);
    connect(source.get(), &prometheus::PrometheusSource::seriesAdded, this,
            [this, id](const QString &seriesId) { chartPromSeries(id, seriesId); });
    connect(source.get(), &prometheus::PrometheusSource::backfilled, this,
            &MonitoringSession::historyReplaced);
    source->start();
    const qint64 now = m_clock.wallNow().toMSecsSinceEpoch();
    source->backfillInBackground(now - qint64(m_config.windowS) * 1000, now, m_plotWidthPx);
    m_promSources.emplace(id, std::move(source));
    m_promConfigs.insert(id, config);
    return true;
}

void MonitoringSession::chartPromSeries(const QString &sourceId, const QString &seriesId) {
    m_colors.insert(seriesId, pickSensorColor(m_colors.values(), seriesId));
    const auto it = m_promSources.find(sourceId);
    if (it == m_promSources.end())
        return;
    chartWithSiblings(it->second->seriesIds(), seriesId);
}

void MonitoringSession::chartWithSiblings(const QStringList &siblings, const QString &seriesId) {
    // A source's series share one chart, up to kChartedPerSource; the rest are in the status
    // table, the recording and the exports.
    for (auto &chart : m_config.charts) {
        const auto charted =
            std::count_if(siblings.begin(), siblings.end(),
                          [&chart](const QString &s) { return chart.contains(s); });
        if (charted >= kChartedPerSource)
            return;
        if (charted > 0) {
            chart << seriesId;
            layoutChangedSoon();
            return;
        }
    }
    ensureCharted(m_config.charts, seriesId);
    layoutChangedSoon();
}

void MonitoringSession::backfillHistory(qint64 windowMs, int widthPx) {
    m_plotWidthPx = std::max(widthPx, 1);
    const qint64 now = m_clock.wallNow().toMSecsSinceEpoch();
    for (const auto &[id, source] : m_promSources)
        source->backfillInBackground(now - windowMs, now, m_plotWidthPx);
}

QCoro::Task<> MonitoringSession::closePromSources(QString id) {
    QStringList ids;
    for (const auto &[sourceId, source] : m_promSources) {
        if (id.isEmpty() || sourceId == id)
            ids << sourceId;
    }
    for (const auto &sourceId : ids) {
        auto node = m_promSources.extract(sourceId);
        auto stopping = node.mapped()->stop();
        co_await stopping;
        for (const auto &seriesId : node.mapped()->seriesIds()) {
            auto removal = m_hub->remove(seriesId);
            co_await removal;
            removeSeries(m_config.charts, m_config.hidden, seriesId);
            m_colors.remove(seriesId);
        }
        m_promConfigs.remove(sourceId);
    }
}

} // namespace vigil::dashboard
