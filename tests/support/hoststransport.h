// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "async/clock.h"
#include "async/retryafter.h"
#include "async/sleep.h"
#include "async/unlesscancelled.h"
#include "demo/hostoutage.h"
#include "net/transport.h"

#include <map>
#include <set>
#include <vector>

namespace vigil::test {

/// @brief `serve-demo --hosts N` and its /hosts route on a VirtualClock: many hosts
/// (127.0.1.1 …), the same HostOutages deciding which are down and counting requests that come
/// early (counted as the demo server does, with a grace of one round trip), and hosts in @p dead
/// that refuse every connection. Each answer takes @p latency.
class HostsTransport final : public net::Transport {
public:
    HostsTransport(async::VirtualClock &clock, demo::OutagePlan plan,
                   async::Clock::Duration latency = std::chrono::milliseconds(2))
        : m_clock(clock)
        , m_plan(plan)
        , m_latency(latency)
        , m_outages(qint64(async::toMs(latency)) + 1) {} // a request sent before the 429 came back
                                                         // is not early

    QCoro::Task<net::HttpResponse> send(net::HttpRequest request, std::stop_token token) override {
        net::HttpResponse r;
        r.finalUrl = request.url;
        const int host = demo::demoHostNumber(request.url.host());
        const int inFlight = ++m_inFlight[host];
        m_peakPerHost = std::max(m_peakPerHost, inFlight);
        auto there = async::sleepFor(m_clock, m_latency / 2, token);
        const bool arrived = co_await async::unlessCancelled(there);
        const qint64 nowMs = qint64(async::toMs(m_clock.elapsed()));
        if (arrived && dead.count(host) == 0) {
            m_sent[host].push_back(nowMs);
            const demo::OutageDecision d = m_outages.admit(host, m_plan, nowMs);
            r.status = d.allowed ? 200 : 429;
            if (!d.allowed) {
                r.headers.append({"Retry-After", QByteArray::number(d.retryAfterS)});
                r.retryAfter = std::chrono::seconds(d.retryAfterS);
                r.error = net::HttpErrorKind::HttpStatus;
                r.errorMessage = QStringLiteral("HTTP 429");
            }
        } else {
            ++m_refusedConnections;
            r.error = arrived ? net::HttpErrorKind::Network : net::HttpErrorKind::Cancelled;
            r.errorMessage = QStringLiteral("connection refused");
        }
        auto back = async::sleepFor(m_clock, m_latency / 2, token);
        co_await async::unlessCancelled(back);
        --m_inFlight[host];
        co_return r;
    }

    [[nodiscard]] const demo::HostOutages &outages() const { return m_outages; }
    /// The most requests one host had at once.
    [[nodiscard]] int peakPerHost() const { return m_peakPerHost; }
    [[nodiscard]] int refusedConnections() const { return m_refusedConnections; }
    /// The most requests one host received within any second.
    [[nodiscard]] int busiestSecond() const {
        int most = 0;
        for (const auto &[host, times] : m_sent) {
            for (std::size_t i = 0, j = 0; j < times.size(); ++j) {
                while (times[j] - times[i] >= 1000)
                    ++i;
                most = std::max(most, int(j - i + 1));
            }
        }
        return most;
    }

    std::set<int> dead; ///< host numbers whose connections are refused

private:
    async::VirtualClock &m_clock;
    demo::OutagePlan m_plan;
    async::Clock::Duration m_latency;
    demo::HostOutages m_outages;
    std::map<int, int> m_inFlight;
    std::map<int, std::vector<qint64>> m_sent;
    int m_peakPerHost = 0;
    int m_refusedConnections = 0;
};

} // namespace vigil::test
