// SPDX-License-Identifier: Apache-2.0
// PrometheusSource's history: a chart's window filled from query_range, min and max per step.
#include "promsource.h"

#include "sensors/sensorhub.h"

#include <cmath>
#include <limits>

namespace vigil::prometheus {

namespace {
/// A step's min and max, as the two envelope queries gave them.
struct StepEnvelope {
    double min = std::numeric_limits<double>::quiet_NaN();
    double max = std::numeric_limits<double>::quiet_NaN();
};

double finiteOrNaN(double v) {
    return std::isfinite(v) ? v : std::numeric_limits<double>::quiet_NaN();
}
} // namespace

QCoro::Task<BackfillStats> PrometheusSource::backfill(qint64 fromMs, qint64 toMs, int widthPx) {
    BackfillStats stats;
    const quint64 generation = ++m_backfills;
    stats.range = rangeFor(fromMs, toMs, widthPx, m_spec.intervalMs);
    const QString maxQuery =
        envelopeQuery(m_spec.query, true, stats.range.stepMs, m_spec.intervalMs);
    const QString minQuery =
        envelopeQuery(m_spec.query, false, stats.range.stepMs, m_spec.intervalMs);
    // Both at once: QCoro tasks start when made.
    auto maxing = rangeQuery(*m_client, m_endpoint, maxQuery, stats.range, m_tasks.token());
    auto mining = rangeQuery(*m_client, m_endpoint, minQuery, stats.range, m_tasks.token());
    const PromResult maxResult = co_await maxing;
    const PromResult minResult = co_await mining;
    if (m_tasks.token().stop_requested())
        co_return stats;
    if (generation != m_backfills) {
        stats.error = QStringLiteral("superseded by a newer backfill");
        co_return stats; // the window changed while Prometheus answered: the newer one draws
    }
    if (!maxResult.ok() || !minResult.ok()) {
        stats.error = (!maxResult.ok() ? maxResult : minResult).message();
        Q_EMIT logMessage(tr("Prometheus %1: no history: %2").arg(m_id, stats.error));
        co_return stats;
    }
    std::map<QString, std::map<qint64, StepEnvelope>> byKey;
    for (const PromSeries &s : maxResult.series)
        for (const PromSample &p : s.samples)
            byKey[s.key()][p.timeMs].max = finiteOrNaN(p.value);
    for (const PromSeries &s : minResult.series)
        for (const PromSample &p : s.samples)
            byKey[s.key()][p.timeMs].min = finiteOrNaN(p.value);
    for (const PromSeries &s : maxResult.series) {
        const QString id = seriesFor(s);
        if (id.isEmpty())
            continue;
        QList<PromSample> points;
        for (const auto &[t, e] : byKey[s.key()]) {
            // Inside the step that max_over_time covers, (t - step, t]: the decimator then draws
            // the step's column from its min to its max.
            points.append({t - stats.range.stepMs / 2, std::isnan(e.min) ? e.max : e.min});
            points.append({t, e.max});
        }
        replaceHistory(id, points, stats.range);
        ++stats.series;
        stats.points += points.size();
    }
    Q_EMIT backfilled();
    co_return stats;
}

void PrometheusSource::backfillInBackground(qint64 fromMs, qint64 toMs, int widthPx) {
    m_tasks.spawn(backfillTask(fromMs, toMs, widthPx));
}

QCoro::Task<> PrometheusSource::backfillTask(qint64 fromMs, qint64 toMs, int widthPx) {
    auto filling = backfill(fromMs, toMs, widthPx);
    co_await filling;
}

void PrometheusSource::replaceHistory(const QString &id, const QList<PromSample> &points,
                                      const RangeStep &range) {
    sensors::History &history = m_hub.mutableHistory(id);
    // Only the range is redrawn: what is older (a wider window's backfill, kept for exports)
    // and live samples newer than it stay.
    const qint64 firstStep = range.startMs - range.stepMs;
    const std::vector<sensors::Sample> earlier =
        history.samples(std::numeric_limits<qint64>::min(), firstStep);
    const std::vector<sensors::Sample> later =
        history.samples(range.endMs + 1, std::numeric_limits<qint64>::max());
    history.clear();
    for (const sensors::Sample &s : earlier)
        history.append(s.t, s.v);
    for (const PromSample &p : points) {
        if (std::isnan(p.value))
            history.appendGap(p.timeMs);
        else
            history.append(p.timeMs, p.value);
    }
    for (const sensors::Sample &s : later)
        history.append(s.t, s.v);
}

} // namespace vigil::prometheus
