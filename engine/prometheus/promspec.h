// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMap>
#include <QString>

namespace vigil::prometheus {

/// @brief A Prometheus query as a dashboard source: the server, the PromQL, and how its series
/// are named. Secrets are named by environment variable only; their values never reach a file.
struct PromSpec {
    QString url;         ///< the server's base URL, http(s)://host:9090
    QString query;       ///< PromQL
    QString namePattern; ///< "{instance} {job}": labels in braces; empty: the series' labels
    QString unit;
    int intervalMs = 5000; ///< how often the live value is asked for
    QString tokenEnv;      ///< a bearer token's environment variable
    QString username;      ///< basic auth, with passwordEnv
    QString passwordEnv;
    int maxSeries = 100; ///< a query giving more is cut there, and says so
    bool operator==(const PromSpec &) const = default;
};

constexpr int kMaxPromSeries = 2000;

/// "prometheus:host:port/path?query": the id of a source, stable across runs.
[[nodiscard]] QString promSourceId(const PromSpec &spec);

/// The name of a series: @p pattern with each {label} replaced by its value (a label the series
/// lacks gives ""), or, without a pattern, `name{a="x"}` without the name when the query keeps
/// none.
[[nodiscard]] QString promSeriesName(const QString &pattern, const QMap<QString, QString> &labels);

/// What is wrong with @p spec ("url: …"), empty when it can run.
[[nodiscard]] QString promSpecProblem(const PromSpec &spec);

} // namespace vigil::prometheus
