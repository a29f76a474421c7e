// SPDX-License-Identifier: Apache-2.0
#include "promclient.h"

#include "compute/computepool.h"
#include "net/httpclient.h"
#include "util/logging.h"

#include <QHostAddress>

namespace vigil::prometheus {

QUrl apiUrl(const QUrl &base, const QString &path, const QList<QPair<QString, QString>> &params) {
    QUrl url = base;
    QString basePath = url.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + path);
    QByteArray query;
    for (const auto &[name, value] : params) {
        if (!query.isEmpty())
            query += '&';
        query += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    return url;
}

namespace {
QString seconds(qint64 ms) {
    return QString::number(double(ms) / 1000.0, 'f', 3);
}

QCoro::Task<PromResult> call(net::HttpClient &client, PromEndpoint endpoint, QUrl url,
                             std::stop_token token) {
    net::HttpRequest request;
    request.url = std::move(url);
    request.timeout = endpoint.timeout;
    request.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    // On loopback, gzip only costs CPU on both sides of the same machine (bench prometheus: a
    // 32-query backfill took 2x curl's time with it, 0.5-0.7x without); elsewhere it saves
    // bandwidth, JSON shrinks ten times.
    if (QHostAddress(request.url.host()).isLoopback() ||
        request.url.host() == QLatin1String("localhost"))
        request.headers.append(
            {QByteArrayLiteral("Accept-Encoding"), QByteArrayLiteral("identity")});
    if (!endpoint.authorization.isEmpty())
        request.headers.append({QByteArrayLiteral("Authorization"), endpoint.authorization});
    auto sending = client.send(std::move(request), std::move(token));
    const net::HttpResponse response = co_await sending;
    if (response.error != net::HttpErrorKind::None &&
        response.error != net::HttpErrorKind::HttpStatus) {
        PromResult r;
        r.errorType = response.error == net::HttpErrorKind::Timeout ? QStringLiteral("timeout")
                                                                    : QStringLiteral("unreachable");
        r.error = QStringLiteral("%1: %2").arg(endpoint.base.toString(QUrl::RemoveUserInfo),
                                               response.errorMessage);
        co_return r;
    }
    // Off the GUI thread: a backfill's answers are tens of kilobytes of JSON each, and a
    // dashboard asks for many at once (bench prometheus: 17 ms stalls when parsed here).
    auto parse = [body = response.body, status = response.status] {
        return parseApiResponse(body, status);
    };
    auto parsing = compute::offload(parse);
    PromResult r = co_await parsing;
    if (response.status == 401 || response.status == 403) {
        r.errorType = QStringLiteral("unauthorized");
        r.error = QStringLiteral("HTTP %1: check the token or the password").arg(response.status);
    }
    if (!r.ok())
        qCInfo(lcMetrics).noquote() << "Prometheus said" << r.message();
    co_return r;
}
} // namespace

QCoro::Task<PromResult> instantQuery(net::HttpClient &client, PromEndpoint endpoint, QString promql,
                                     std::stop_token token) {
    const QUrl url =
        apiUrl(endpoint.base, QStringLiteral("/api/v1/query"), {{QStringLiteral("query"), promql}});
    auto calling = call(client, std::move(endpoint), url, std::move(token));
    co_return co_await calling;
}

QCoro::Task<PromResult> rangeQuery(net::HttpClient &client, PromEndpoint endpoint, QString promql,
                                   RangeStep range, std::stop_token token) {
    const QUrl url = apiUrl(endpoint.base, QStringLiteral("/api/v1/query_range"),
                            {{QStringLiteral("query"), promql},
                             {QStringLiteral("start"), seconds(range.startMs)},
                             {QStringLiteral("end"), seconds(range.endMs)},
                             {QStringLiteral("step"), seconds(range.stepMs)}});
    auto calling = call(client, std::move(endpoint), url, std::move(token));
    co_return co_await calling;
}

} // namespace vigil::prometheus
