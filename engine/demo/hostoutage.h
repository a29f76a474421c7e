// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <map>
#include <optional>

namespace vigil::demo {

/// The loopback address of demo host @p number (1, 2, …): 127.0.1.1 … 127.0.1.254, then
/// 127.0.2.1 …; Linux routes all of 127.0.0.0/8 to loopback, so no set-up is needed.
[[nodiscard]] QString demoHostAddress(int number);
/// The number of the demo host at @p address ("127.0.1.7" → 7); 0 for any other address.
[[nodiscard]] int demoHostNumber(const QString &address);
/// The most hosts `serve-demo --hosts` takes.
constexpr int kMaxDemoHosts = 4096;

/// @brief Which demo hosts are down, and when: every host whose number is a multiple of @p every
/// answers 429 from @p fromMs to @p toMs after the first request the plan saw.
struct OutagePlan {
    int every = 10;
    qint64 fromMs = 0;
    qint64 toMs = 0; ///< fromMs == toMs: no outage
};

/// @brief What the outage decided about one request.
struct OutageDecision {
    bool allowed = true;
    int retryAfterS = 0; ///< on a refusal: until the outage ends, whole seconds rounded up
};

/// @brief The demo's many-host outage (`/hosts/{id}?down=FROM-TO&every=K`): refuses what a plan
/// says with 429 and a Retry-After until the end of the outage, and counts requests that come to
/// a host while it told the client to stay away ("early": later than @p graceMs after the
/// refusal, so that requests already on their way do not count). A pause of 5 s without a
/// request (once every wait the refusals asked for is over) starts a new run: the outage's clock
/// and the counts start again, so that a batch run again against the same server sees its outage
/// again. Pure: time comes in.
class HostOutages {
public:
    explicit HostOutages(qint64 graceMs = 250)
        : m_graceMs(graceMs) {}

    [[nodiscard]] OutageDecision admit(int hostNumber, const OutagePlan &plan, qint64 nowMs);

    [[nodiscard]] qint64 requests() const { return m_requests; }
    [[nodiscard]] qint64 refused() const { return m_refused; }
    [[nodiscard]] qint64 early() const { return m_early; }
    /// Requests answered 200 between @p fromMs and @p toMs after the start (for the bench's
    /// throughput during the outage).
    [[nodiscard]] qint64 acceptedBetween(qint64 fromMs, qint64 toMs) const;

private:
    struct Host {
        qint64 refusedAtMs = -1;
        qint64 awayUntilMs = -1; ///< what the last Retry-After told the client
    };
    qint64 m_graceMs;
    std::optional<qint64> m_startMs;
    qint64 m_lastMs = 0;
    qint64 m_awayUntilMs = 0; ///< the end of the longest wait a refusal asked for
    std::map<int, Host> m_hosts;
    std::map<qint64, qint64> m_acceptedPerSecond; ///< second since start → requests accepted
    qint64 m_requests = 0;
    qint64 m_refused = 0;
    qint64 m_early = 0;
};

/// Parses `down=FROM-TO` (seconds, decimals allowed) and `every=K` into a plan; nullopt on junk.
[[nodiscard]] std::optional<OutagePlan> parseOutagePlan(const QString &down, const QString &every);

} // namespace vigil::demo
