// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "promapi.h"

#include <QCoroTask>
#include <QUrl>

#include <chrono>
#include <stop_token>

namespace vigil::net {
class HttpClient;
}

namespace vigil::prometheus {

/// @brief A Prometheus server's HTTP API: its base URL and, when it needs one, the Authorization
/// header (a bearer token or basic auth, read from the environment; never saved or logged).
struct PromEndpoint {
    QUrl base; ///< http://host:9090 (a path prefix, e.g. behind a proxy, is kept)
    QByteArray authorization;
    std::chrono::milliseconds timeout{15000};
};

/// /api/v1/query at the server's now.
[[nodiscard]] QCoro::Task<PromResult> instantQuery(net::HttpClient &client, PromEndpoint endpoint,
                                                   QString promql, std::stop_token token = {});

/// /api/v1/query_range over @p range.
[[nodiscard]] QCoro::Task<PromResult> rangeQuery(net::HttpClient &client, PromEndpoint endpoint,
                                                 QString promql, RangeStep range,
                                                 std::stop_token token = {});

/// The URL of an API call: @p path under the base, with @p params percent-encoded in full ('+'
/// as %2B: Prometheus reads a bare '+' in a query string as a space).
[[nodiscard]] QUrl apiUrl(const QUrl &base, const QString &path,
                          const QList<QPair<QString, QString>> &params);

} // namespace vigil::prometheus
