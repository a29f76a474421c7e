// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "async/clock.h"
#include "async/retryafter.h"
#include "async/sleep.h"
#include "async/unlesscancelled.h"
#include "demo/quota.h"
#include "net/transport.h"

#include <vector>

namespace vigil::test {

/// @brief The demo server's /quota endpoint on a VirtualClock: the same ClientQuota decides and
/// the same headers announce, but minutes of a batch pass in milliseconds. Every request is one
/// client's; @p latency is spent half before the server sees it, half after. Like the demo's
/// `/quota/…?ms=20`, a refusal is answered at once and an accepted request after @p work.
class QuotaTransport final : public net::Transport {
public:
    QuotaTransport(async::VirtualClock &clock, int perSecond, demo::QuotaAnnounce announce,
                   async::Clock::Duration latency = std::chrono::milliseconds(2),
                   async::Clock::Duration work = std::chrono::milliseconds(20))
        : m_clock(clock)
        , m_perSecond(perSecond)
        , m_announce(announce)
        , m_latency(latency)
        , m_work(work) {}

    QCoro::Task<net::HttpResponse> send(net::HttpRequest request, std::stop_token token) override {
        net::HttpResponse r;
        auto there = async::sleepFor(m_clock, m_latency / 2, token);
        if (!co_await async::unlessCancelled(there)) {
            r.error = net::HttpErrorKind::Cancelled;
            co_return r;
        }
        const qint64 nowMs = qint64(async::toMs(m_clock.elapsed()));
        const demo::QuotaDecision d = m_quota.admit(QStringLiteral("client"), m_perSecond, nowMs);
        (d.allowed ? m_accepted : m_refused).push_back(nowMs);
        for (const auto &[name, value] : demo::quotaHeaders(d, m_announce, m_clock.wallNow()))
            r.headers.append({name, value});
        r.status = d.allowed ? 200 : 429;
        r.finalUrl = request.url;
        auto back = async::sleepFor(
            m_clock, m_latency / 2 + (d.allowed ? m_work : async::Clock::Duration::zero()), token);
        co_await async::unlessCancelled(back);
        if (!d.allowed) {
            r.error = net::HttpErrorKind::HttpStatus;
            r.errorMessage = QStringLiteral("HTTP 429");
            r.retryAfter = async::parseRetryAfter(r.header("Retry-After"), m_clock.wallNow());
        }
        co_return r;
    }

    /// Virtual ms since the clock began at which the server accepted, or refused, a request.
    [[nodiscard]] const std::vector<qint64> &accepted() const { return m_accepted; }
    [[nodiscard]] const std::vector<qint64> &refused() const { return m_refused; }
    /// Accepted requests per second from @p fromMs to the last one.
    [[nodiscard]] double acceptedRateFrom(qint64 fromMs) const {
        qint64 n = 0;
        for (const qint64 t : m_accepted)
            n += t >= fromMs ? 1 : 0;
        const qint64 span = m_accepted.empty() ? 0 : m_accepted.back() - fromMs;
        return span > 0 ? double(n) * 1000.0 / double(span) : 0;
    }

private:
    async::VirtualClock &m_clock;
    int m_perSecond;
    demo::QuotaAnnounce m_announce;
    async::Clock::Duration m_latency;
    async::Clock::Duration m_work;
    demo::ClientQuota m_quota;
    std::vector<qint64> m_accepted;
    std::vector<qint64> m_refused;
};

} // namespace vigil::test
