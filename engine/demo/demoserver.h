// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hostoutage.h"
#include "precisescheduler.h"
#include "quota.h"

#include "sensors/meanrevertingwalk.h"

#include <QElapsedTimer>
#include <QObject>
#include <QRandomGenerator>
#include <QUrl>

#include <deque>
#include <map>
#include <memory>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;

namespace vigil::demo {

class Exchange;

/// @brief The built-in demo HTTP API: real HTTP on 127.0.0.1 with latency and fault injection,
/// for offline demos, tests and benchmarks. Never binds anything but loopback, and refuses a
/// request past RequestLimits (431 or 413) before buffering it.
///
/// It counts requests in flight (a request stays in flight until its response is written or the
/// client closes the connection), so tests can check concurrency limits and clean cancellation
/// from the server's side.
class DemoServer : public QObject {
    Q_OBJECT
public:
    /// @p seed makes the fault endpoints (fail=, p=) repeatable.
    explicit DemoServer(quint32 seed = 1, QObject *parent = nullptr);
    ~DemoServer() override;

    /// Listens on 127.0.0.1:@p port; 0 picks a free port. False when the port is taken.
    bool listen(quint16 port = 0);
    /// Listens also on @p hosts more loopback addresses (demoHostAddress(1…hosts)), on the same
    /// port, after listen(). False (with errorString()) when one cannot be bound.
    bool listenOnHosts(int hosts);
    [[nodiscard]] int hostCount() const { return m_hostCount; }
    [[nodiscard]] quint16 port() const { return m_port; }
    /// http://127.0.0.1:port, no trailing slash.
    [[nodiscard]] QUrl baseUrl() const;
    [[nodiscard]] QString errorString() const { return m_error; }

    [[nodiscard]] int inFlight() const { return m_inFlight; }
    [[nodiscard]] int peakInFlight() const { return m_peakInFlight; }
    [[nodiscard]] qint64 requestCount() const { return m_requests; }
    /// Requests whose client left before the response was complete.
    [[nodiscard]] qint64 abandonedCount() const { return m_abandoned; }
    void resetStats();

    /// Arrival times, in ms since the server started, of requests whose path starts with
    /// @p prefix (the last 100,000 requests are kept).
    [[nodiscard]] QList<qint64> arrivals(const QString &prefix = {}) const;

Q_SIGNALS:
    void inFlightChanged(int inFlight);

private:
    void addApiRoutes();
    void addBytesRoute();
    void addFaultRoutes();
    void addFailFirstRoute();
    void addQuotaRoute(); // in quotaroute.cpp
    void addHostsRoute(); // in hostsroute.cpp
    void addEchoRoute();  // in echoroute.cpp
    void addStatsRoute();
    Exchange *begin(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    [[nodiscard]] QByteArray sensorJson(const QString &name);
    [[nodiscard]] bool overLimit(int rps);

    std::unique_ptr<QHttpServer> m_http;
    PreciseScheduler m_delays;
    quint16 m_port = 0;
    QString m_error;
    QRandomGenerator m_rng;
    QElapsedTimer m_uptime;
    int m_inFlight = 0;
    int m_peakInFlight = 0;
    qint64 m_requests = 0;
    qint64 m_abandoned = 0;
    std::deque<std::pair<qint64, QString>> m_arrivals;
    std::deque<qint64> m_limitedWindow;
    std::map<QString, int> m_failFirstSeen; ///< requests so far per /fail-first id
    ClientQuota m_quota;                    ///< /quota's, per client address
    HostOutages m_outages;                  ///< /hosts's
    OutagePlan m_outagePlan;                ///< the last one /hosts was given
    int m_hostCount = 0;
    std::map<QString, sensors::MeanRevertingWalk> m_sensors;
};

} // namespace vigil::demo
