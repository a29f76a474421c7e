#pragma once

#include "httptypes.h"

#include "async/clock.h"

#include <QCoroTask>
#include <QObject>

#include <memory>
#include <stop_token>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace vigil::net {

/// @brief HTTP for the whole app: total deadlines, size caps, cancellation that aborts the reply,
/// and a pool of network managers so that "concurrency N" really means N requests in flight.
///
/// Qt 6.4 opens at most 6 connections per host per QNetworkAccessManager, so each request goes to
/// the least busy manager, and a new manager joins the pool when all are at that limit. Managers
/// live as long as the client, so connections are reused. Lives on the GUI thread; it must
/// outlive every request it runs (owners cancel and await their requests first).
class HttpClient : public QObject {
    Q_OBJECT
public:
    explicit HttpClient(async::Clock &clock = async::Clock::system(), QObject *parent = nullptr);
    ~HttpClient() override;

    /// Runs @p request. Never throws: every failure, cancellation included, is in the response.
    [[nodiscard]] QCoro::Task<HttpResponse> send(HttpRequest request, std::stop_token token = {});

    [[nodiscard]] static QByteArray userAgent();
    [[nodiscard]] int managerCount() const { return int(m_managers.size()); }
    [[nodiscard]] int inFlight() const { return m_inFlight; }
    /// The largest pool this client grows to; 0 lifts the limit. Default 256 (1,536 connections).
    void setMaxManagers(int max) { m_maxManagers = max; }

private:
    struct Manager {
        std::unique_ptr<QNetworkAccessManager> nam;
        int active = 0;
    };
    Manager &pickManager();
    QNetworkReply *start(QNetworkAccessManager &nam, const HttpRequest &request);

    async::Clock &m_clock;
    std::vector<std::unique_ptr<Manager>> m_managers;
    int m_inFlight = 0;
    int m_maxManagers = 256;
};

} // namespace vigil::net
