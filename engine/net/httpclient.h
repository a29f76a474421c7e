// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bodymemory.h"
#include "httptypes.h"
#include "transport.h"

#include "async/clock.h"

#include <QCoroTask>
#include <QObject>
#include <QSslConfiguration>

#include <memory>
#include <optional>
#include <stop_token>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace vigil::net {

class Http1ConnectionPool;

/// @brief HTTP for the whole app: total deadlines, size caps, cancellation that aborts the reply,
/// and enough connections that "concurrency N" really means N requests in flight.
///
/// Two transports, both behind QNetworkReply:
/// - Every request, http:// and https://, API calls and streamed downloads alike, goes to
///   Http1Reply: a lean HTTP/1.1 client on this thread's event loop with a keep-alive pool, no
///   connection limit, and TLS by QSslSocket for https. Qt 6.4's backend reads plain responses'
///   headers one byte per system call and crosses threads twice each way, which roughly doubles
///   the CPU per request (see `vigil bench fetch --qt-network`); it also takes a reset connection
///   as the end of a body without a length, and a malformed chunk size as the last chunk.
/// - setQtNetworkOnly() sends them to a pool of QNetworkAccessManagers instead, for comparisons.
///   Qt 6.4 opens at most 6 connections per host per manager, so each request goes to the least
///   busy manager, and a new one joins the pool when all are at that limit.
///
/// Redirects are followed here, by Vigil's own rules (redirects.h), the same on both transports.
///
/// Managers and connections live as long as the client, so connections are reused. Lives on the
/// GUI thread; it must outlive every request it runs (owners cancel and await their requests
/// first).
class HttpClient : public QObject, public Transport {
    Q_OBJECT
public:
    explicit HttpClient(async::Clock &clock = async::Clock::system(), QObject *parent = nullptr);
    ~HttpClient() override;

    /// Runs @p request. Never throws: every failure, cancellation included, is in the response.
    [[nodiscard]] QCoro::Task<HttpResponse> send(HttpRequest request,
                                                 std::stop_token token = {}) override;

    [[nodiscard]] static QByteArray userAgent();
    [[nodiscard]] int managerCount() const { return int(m_managers.size()); }
    [[nodiscard]] int inFlight() const { return m_inFlight; }
    /// The largest pool this client grows to; 0 lifts the limit. Default 256 (1,536 connections).
    void setMaxManagers(int max) { m_maxManagers = max; }
    /// Sends every request through QNetworkAccessManager instead (for comparisons).
    void setQtNetworkOnly(bool on) { m_qtNetworkOnly = on; }
    /// The most all in-memory bodies may hold together (each also has its own maxBodyBytes); a
    /// body that would pass it fails as TooLarge. Default 512 MiB.
    void setBodyMemoryBudget(qint64 bytes) { m_bodyMemory.setBudget(bytes); }
    [[nodiscard]] qint64 bodyMemoryBudget() const { return m_bodyMemory.budget(); }
    /// The body bytes that requests in flight hold right now.
    [[nodiscard]] qint64 bodyBytesInMemory() const { return m_bodyMemory.used(); }
    /// TLS settings for every https request, e.g. a private CA (tests trust their own loopback
    /// certificate this way). Peers are still always verified.
    void setTlsConfiguration(const QSslConfiguration &config) { m_tls = config; }

private:
    struct Manager {
        std::unique_ptr<QNetworkAccessManager> nam;
        int active = 0;
    };
    Manager &pickManager();
    QNetworkReply *start(const HttpRequest &request, Manager *&manager);
    /// One exchange; a 3xx comes back as it is, for send() to decide on.
    [[nodiscard]] QCoro::Task<HttpResponse>
    sendHop(const HttpRequest &hop, async::Clock::TimePoint started, const std::stop_token &token);

    async::Clock &m_clock;
    std::vector<std::unique_ptr<Manager>> m_managers;
    Http1ConnectionPool *m_http1 = nullptr;
    std::optional<QSslConfiguration> m_tls;
    bool m_qtNetworkOnly = false;
    int m_inFlight = 0;
    int m_maxManagers = 256;
    BodyMemory m_bodyMemory{qint64(512) * 1024 * 1024};
};

} // namespace vigil::net
