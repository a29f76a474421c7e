// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "promclient.h"
#include "promspec.h"

#include "async/clock.h"
#include "async/taskscope.h"
#include "sensors/thresholds.h"

#include <QCoroTask>
#include <QObject>

#include <map>
#include <memory>

namespace vigil::net {
class HttpClient;
}
namespace vigil::sensors {
class SensorHub;
struct StreamStatus;
} // namespace vigil::sensors

namespace vigil::prometheus {

/// @brief What one backfill drew.
struct BackfillStats {
    RangeStep range;
    int series = 0;
    qint64 points = 0; ///< samples put in the histories (a min and a max per step)
    QString error;     ///< Prometheus' message when it failed
};

/// @brief A PromQL query as a stream source: every series of its result is a series of the
/// SensorHub, fed live by an instant query every interval, and filled back over a chart's window
/// by query_range with a min/max envelope per step, so that spikes survive any zoom.
///
/// Prometheus' errors (bad_data, execution, timeout, an unreachable server) are failed readings
/// of every series, with Prometheus' message, and one log line when they change. NaN and ±Inf
/// are gaps. Past maxSeries, the rest is left out and said once. GUI thread; await stop().
class PrometheusSource : public QObject {
    Q_OBJECT
public:
    /// @p endpoint carries the secret, read from the environment by the caller.
    PrometheusSource(QString id, PromSpec spec, PromEndpoint endpoint, sensors::SensorHub &hub,
                     async::Clock &clock, QObject *parent = nullptr);
    ~PrometheusSource() override;

    void setThresholds(const sensors::Thresholds &thresholds) { m_thresholds = thresholds; }
    /// Starts the live queries.
    void start();
    [[nodiscard]] QCoro::Task<> stop();

    /// Fills the series' histories over [@p fromMs, @p toMs] drawn @p widthPx wide: the step is
    /// a pixel (see rangeFor), each step's min and max. Live samples newer than the range stay.
    [[nodiscard]] QCoro::Task<BackfillStats> backfill(qint64 fromMs, qint64 toMs, int widthPx);
    /// backfill() as a task the source owns (stop() ends it); one that is still running is
    /// left to finish, and this one waits for it.
    void backfillInBackground(qint64 fromMs, qint64 toMs, int widthPx);

    [[nodiscard]] const QString &id() const { return m_id; }
    [[nodiscard]] const PromSpec &spec() const { return m_spec; }
    [[nodiscard]] const QStringList &seriesIds() const { return m_order; }
    [[nodiscard]] QString stateText() const;
    /// One live query now (the loop calls it every interval; tests call it directly).
    [[nodiscard]] QCoro::Task<> pollOnce();

Q_SIGNALS:
    void seriesAdded(const QString &id);
    void logMessage(const QString &message);
    /// Histories were replaced by a backfill: charts should draw again.
    void backfilled();

private:
    QCoro::Task<> liveLoop(std::stop_token token);
    QCoro::Task<> backfillTask(qint64 fromMs, qint64 toMs, int widthPx);
    /// The hub series for @p series, added on first sight; empty past maxSeries.
    QString seriesFor(const PromSeries &series);
    void ingestSample(const QString &id, const PromSample &sample);
    void failAll(const PromResult &result);
    void markMissing(const QSet<QString> &seen);
    void replaceHistory(const QString &id, const QList<PromSample> &points, const RangeStep &range);
    /// Series of one answer that differ only by metric name would share a hub series: the
    /// first is kept, the others said once.
    [[nodiscard]] bool isDuplicate(const PromSeries &series, QSet<QString> &keys);

    QString m_id;
    PromSpec m_spec;
    PromEndpoint m_endpoint;
    sensors::SensorHub &m_hub;
    async::Clock &m_clock;
    std::unique_ptr<net::HttpClient> m_client;
    std::shared_ptr<sensors::StreamStatus> m_status;
    sensors::Thresholds m_thresholds;
    std::map<QString, QString> m_idOfKey; ///< series key -> hub id
    std::map<QString, int> m_missedPolls; ///< hub id -> polls in a row without it
    QStringList m_order;
    QString m_lastError;
    int m_overCap = 0;
    bool m_saidNameClash = false;
    quint64 m_backfills = 0; ///< the latest backfill's number: an older one's answer is dropped
    async::TaskScope m_tasks;
};

} // namespace vigil::prometheus
