// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>

namespace vigil::net {

/// @brief Where one request/response exchange spent its time, in milliseconds, as HAR 1.2 splits
/// it: -1 where a phase did not apply (dns, connect and ssl on a reused connection).
///
/// connect includes ssl, as in HAR. A transport that cannot see its phases (Qt's own network
/// stack, a simulated server) leaves measured false and puts the whole exchange in wait.
struct ExchangeTiming {
    float dnsMs = -1;
    float connectMs = -1;
    float sslMs = -1;
    float sendMs = 0;
    float waitMs = 0; ///< sent until the first byte of the response
    float receiveMs = 0;
    bool reused = false;
    bool measured = false;

    /// The exchange's whole time: every phase that applied, ssl left out (connect has it).
    [[nodiscard]] float totalMs() const;
    /// An exchange whose phases are unknown: all of @p elapsedMs counts as waiting.
    [[nodiscard]] static ExchangeTiming unmeasured(float elapsedMs);
};

/// @brief The moments an HTTP/1.1 exchange passes, stamped on the steady clock as they happen;
/// timing() turns them into phases. A moment never reached stays unset, and a failure ends the
/// phase it happened in.
class ExchangeMarks {
public:
    using SteadyClock = std::chrono::steady_clock;

    /// A connection is taken: @p reused from the pool, else one is about to be opened. A second
    /// call (a stale kept-alive connection, reopened) keeps the first start, so no time is lost:
    /// the time on the dead connection counts as connecting.
    void connecting(bool reused, bool tls);
    void hostFound() { m_hostFound = SteadyClock::now(); }
    void connected() { m_connected = SteadyClock::now(); }
    void writing() { m_writing = SteadyClock::now(); }
    void sent();
    void firstByte();
    /// The phases, with the exchange ending at @p end (the last body byte, or the failure).
    [[nodiscard]] ExchangeTiming timing(SteadyClock::time_point end) const;

private:
    SteadyClock::time_point m_connecting{};
    SteadyClock::time_point
        m_lookup{}; ///< this connection's start (a reconnect's, after a stale one)
    SteadyClock::time_point m_hostFound{};
    SteadyClock::time_point m_connected{};
    SteadyClock::time_point m_writing{};
    SteadyClock::time_point m_sent{};
    SteadyClock::time_point m_firstByte{};
    bool m_reused = false;
    bool m_tls = false;
};

} // namespace vigil::net
