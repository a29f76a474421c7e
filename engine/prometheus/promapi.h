// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

namespace vigil::prometheus {

/// The most points Prometheus returns per series from one query_range (its own limit).
constexpr qint64 kMaxPointsPerSeries = 11000;

struct PromSample {
    qint64 timeMs = 0;
    double value = 0; ///< NaN and ±Inf as Prometheus sent them
};

/// @brief One series of a query's result: its labels and its samples, oldest first.
struct PromSeries {
    QMap<QString, QString> labels; ///< __name__ included when the result keeps it
    QList<PromSample> samples;
    /// `{a="x",b="y"}`, sorted by label, without __name__: the series' identity.
    [[nodiscard]] QString key() const;
};

/// @brief What a query gave: its series, or Prometheus' error (errorType and error), or why
/// there was no answer at all.
struct PromResult {
    QList<PromSeries> series;
    QString errorType; ///< bad_data, execution, timeout, canceled, …; "unreachable" without an API
                       ///< answer
    QString error; ///< Prometheus' own words (or the transport's)
    [[nodiscard]] bool ok() const { return errorType.isEmpty(); }
    /// "bad_data: 1:7: parse error: unexpected right parenthesis ')'" for the user.
    [[nodiscard]] QString message() const;
};

/// Parses a /api/v1/query or /api/v1/query_range answer (a vector, a matrix or a scalar).
/// Never throws: what is not an API answer is an error result that says what came back.
[[nodiscard]] PromResult parseApiResponse(const QByteArray &body, int httpStatus);

namespace detail {
/// The fast path of parseApiResponse() for a matrix in Prometheus' compact shape; false (and
/// @p out untouched) for anything else, which the full parser then reads.
[[nodiscard]] bool parseMatrixFast(const QByteArray &body, PromResult &out);
/// The full parser (QJsonDocument), for anything the fast path leaves.
[[nodiscard]] PromResult parseApiJson(const QByteArray &body, int httpStatus);
} // namespace detail

/// @brief A query_range window: start and end on multiples of the step, all in ms.
struct RangeStep {
    qint64 startMs = 0;
    qint64 endMs = 0;
    qint64 stepMs = 1000;
    [[nodiscard]] qint64 points() const { return (endMs - startMs) / stepMs + 1; }
};

/// The step for drawing [@p fromMs, @p toMs] over @p widthPx pixels: a pixel per step, at least
/// @p minStepMs (the source's interval: finer only repeats samples), whole seconds from a second
/// up, and never more than kMaxPointsPerSeries points. Start and end are multiples of the step
/// at or before @p fromMs and @p toMs, so the same window gives the same samples when it
/// scrolls, and no step ends in the future.
[[nodiscard]] RangeStep rangeFor(qint64 fromMs, qint64 toMs, int widthPx, qint64 minStepMs = 1000);

/// True when @p promql is a plain selector (`up`, `rate_total{job="x"}`): it can take a range
/// `[1m]` directly; anything else needs a subquery.
[[nodiscard]] bool isSelector(const QString &promql);

/// The query whose value at each step is the max (or min) of @p promql over that step, so that a
/// spike between two steps survives: `max_over_time(sel[STEP])`, or for an expression the
/// subquery `max_over_time((expr)[STEP:RES])` sampled every @p resolutionMs.
[[nodiscard]] QString envelopeQuery(const QString &promql, bool max, qint64 stepMs,
                                    qint64 resolutionMs);

/// A duration as PromQL writes it: "15s", "1500ms".
[[nodiscard]] QString promDuration(qint64 ms);

} // namespace vigil::prometheus
