// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "breakerpolicy.h"
#include "latencylimit.h"

#include "async/clock.h"
#include "async/notifier.h"

#include <QList>
#include <QString>

#include <deque>
#include <functional>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

namespace vigil::async {
class KeyedRateLimiter;
}

namespace vigil::fetch {

/// @brief An item handed to a slot, with what the scheduler already did for it.
struct HostTicket {
    int index = -1;
    QString host;           ///< origin key; empty for an item without a URL
    bool tokenHeld = false; ///< the host's rate-limit token is taken for the first attempt
    bool givenUp = false;   ///< the host's breaker gave up: fail the item without sending it
    /// How long the item waited in its host's line (for the host's rate, pause, per-host limit
    /// or breaker) before this turn: queue time, like the wait for a token.
    async::Clock::Duration held{};
    int epoch = 0;      ///< the host's breaker time-outs so far when it was handed out
    bool probe = false; ///< the one item that probes a host after its time-out
};

/// @brief The items held back in host lines, for a progress line: how many, for how many hosts,
/// and how many of those hosts sit in a breaker time-out (the soonest probe in @c nextProbe).
struct HeldStatus {
    std::size_t items = 0;
    int hosts = 0;
    int timedOut = 0;
    async::Clock::Duration nextProbe{};
};

/// @brief How an item left its host.
enum class HostOutcome {
    Answered,   ///< the host answered (ok, or an answer about the item such as a 404)
    HostFailed, ///< a timeout, a network error or a 5xx: one more for the breaker
    Parked,     ///< the host is paused: the item goes back to wait at the front of its host's line
    Dropped,    ///< cancelled, or failed before any request: says nothing about the host
};

/// @brief Hands items to the batch's slots so that no host holds the others up: a slot whose
/// next item belongs to a host that is paused, at its rate, at its per-host limit or in a
/// breaker time-out takes the first item of a host that can take a request now, and the held
/// item waits in its host's own line (in order) until the host opens.
///
/// Items come from @p source one at a time, as slots ask; at most @p lookahead of them wait in
/// host lines at once. Single-threaded, like every async object.
class HostScheduler {
public:
    using Source = std::function<int()>;        ///< the next item, -1 when none is left
    using HostOf = std::function<QString(int)>; ///< an item's origin key, empty when none
    struct Limits {
        int perHost = 0; ///< requests at once per host; 0: no limit of its own
        /// Each host's limit follows its latency (LatencyLimit), up to perHost (or, with 0, up
        /// to latencyMax).
        bool latencyAware = false;
        int latencyMax = 10;
        BreakerPolicy breaker;
        /// A host paused for longer than this is handed out anyway, so that the send fails at
        /// once as asked instead of waiting out the pause.
        async::Clock::Duration maxPause = std::chrono::hours(24);
        int lookahead = 100000;
    };

    HostScheduler(async::Clock &clock, async::KeyedRateLimiter &limiter, Limits limits,
                  Source source, HostOf hostOf);
    HostScheduler(const HostScheduler &) = delete;
    HostScheduler &operator=(const HostScheduler &) = delete;
    ~HostScheduler();

    /// The next item a slot can start now, or nullopt when none can (wait(), then ask again)
    /// or none is left (finished()).
    [[nodiscard]] std::optional<HostTicket> tryNext();
    /// True once every item was handed out and finished.
    [[nodiscard]] bool finished() const;
    /// Waits until an item may be ready or the batch is finished.
    [[nodiscard]] async::Notifier::Awaiter wait(std::stop_token token);
    /// The slot is done with @p ticket's item; @p wireMs is its last answer's time on the
    /// wire (negative: none), for a latency-aware limit.
    void finish(const HostTicket &ticket, HostOutcome outcome, double wireMs = -1);
    /// @p host's requests-at-once limit now (0: none of its own).
    [[nodiscard]] int hostLimit(const QString &host) const;
    /// The items not handed out, in order (for a stopped batch); empties the scheduler.
    [[nodiscard]] QList<int> takeRemaining();

    /// Breaker time-outs so far, over all hosts.
    [[nodiscard]] int breakerTrips() const { return m_trips; }
    /// Why a given-up host's items fail.
    [[nodiscard]] QString givenUpReason(const QString &host) const;
    /// Items waiting in host lines now.
    [[nodiscard]] std::size_t deferred() const { return m_deferred; }
    /// What waits, and for how many hosts (goes over every host: call it now and then).
    [[nodiscard]] HeldStatus held() const;

private:
    struct Host {
        /// Items held back for this host, in order, with when each joined the line.
        std::deque<std::pair<int, async::Clock::TimePoint>> line;
        int active = 0; ///< items handed out and not finished
        bool inCandidates = false;
        bool inTimed = false;
        async::Clock::TimePoint timedAt{};
        bool waitingSlot = false; ///< blocked by the per-host limit: finish() makes it a candidate
        // The breaker's state.
        int failuresInRow = 0;
        int trips = 0;
        async::Clock::TimePoint openUntil{};
        bool probing = false; ///< after a time-out: one probe at a time until one is answered
        int probesActive = 0;
        int epoch = 0; ///< time-outs so far, never reset: tells items sent before the last one
        bool givenUp = false;
        std::optional<LatencyLimit> latency; ///< with Limits::latencyAware
    };
    [[nodiscard]] int limitOf(const Host &h) const;
    enum class Verdict { Ready, ReadyWithToken, WaitTime, WaitSlot };
    Verdict check(Host &h, const QString &key, async::Clock::TimePoint now,
                  async::Clock::TimePoint &until);
    std::optional<HostTicket> fromLines(async::Clock::TimePoint now);
    std::optional<HostTicket> fromSource(async::Clock::TimePoint now);
    HostTicket handOut(Host &h, const QString &key, int index, Verdict v,
                       async::Clock::Duration held = {});
    void block(Host &h, const QString &key, Verdict v, async::Clock::TimePoint until);
    void breakerAfter(Host &h, const HostTicket &ticket, HostOutcome outcome,
                      async::Clock::TimePoint now);
    void rearm();
    void wakeOneIfMore(async::Clock::TimePoint now);

    async::Clock &m_clock;
    async::KeyedRateLimiter &m_limiter;
    Limits m_limits;
    Source m_source;
    HostOf m_hostOf;
    bool m_sourceDone = false;
    std::unordered_map<QString, Host> m_hosts;
    std::deque<QString> m_candidates; ///< hosts with a line that may be ready now
    using Timed = std::pair<async::Clock::TimePoint, QString>;
    std::priority_queue<Timed, std::vector<Timed>, std::greater<>> m_timed;
    std::size_t m_deferred = 0;
    int m_active = 0;
    int m_trips = 0;
    async::Notifier m_wake;
    async::Clock::TimerId m_timer = 0;
    async::Clock::TimePoint m_timerAt{};
};

} // namespace vigil::fetch
