// SPDX-License-Identifier: Apache-2.0
#include "hostscheduler.h"

#include "async/keyedratelimiter.h"
#include "util/logging.h"

#include <algorithm>

namespace vigil::fetch {

using async::Clock;

HostScheduler::HostScheduler(Clock &clock, async::KeyedRateLimiter &limiter, Limits limits,
                             Source source, HostOf hostOf)
    : m_clock(clock)
    , m_limiter(limiter)
    , m_limits(limits)
    , m_source(std::move(source))
    , m_hostOf(std::move(hostOf)) {}

HostScheduler::~HostScheduler() {
    m_clock.cancel(m_timer);
}

HostScheduler::Verdict HostScheduler::check(Host &h, const QString &key, Clock::TimePoint now,
                                            Clock::TimePoint &until) {
    if (key.isEmpty() || h.givenUp)
        return Verdict::Ready;
    if (now < h.openUntil) {
        until = h.openUntil;
        return Verdict::WaitTime;
    }
    // After a time-out one probe goes alone; items sent before the time-out may still be out.
    if (const int limit = limitOf(h);
        (h.probing && h.probesActive > 0) || (limit > 0 && h.active >= limit))
        return Verdict::WaitSlot;
    async::RateLimiter &rate = m_limiter.forKey(key);
    // The send fails at once on a pause this long; holding the item back would hang it instead.
    if (rate.pausedUntil() - now > m_limits.maxPause)
        return Verdict::Ready;
    if (rate.tryAcquire())
        return Verdict::ReadyWithToken;
    until = std::max(rate.readyAt(), now + std::chrono::milliseconds(1));
    return Verdict::WaitTime;
}

HostTicket HostScheduler::handOut(Host &h, const QString &key, int index, Verdict v,
                                  Clock::Duration held) {
    ++h.active;
    ++m_active;
    HostTicket ticket{index, key, v == Verdict::ReadyWithToken, h.givenUp, held, h.epoch};
    ticket.probe = h.probing && !h.givenUp;
    h.probesActive += ticket.probe ? 1 : 0;
    return ticket;
}

void HostScheduler::block(Host &h, const QString &key, Verdict v, Clock::TimePoint until) {
    if (v == Verdict::WaitSlot) {
        h.waitingSlot = true;
    } else if (!h.inTimed || until < h.timedAt) {
        m_timed.emplace(until, key);
        h.inTimed = true;
        h.timedAt = until;
    }
}

namespace {
template <typename H>
void pushCandidate(std::deque<QString> &candidates, H &h, const QString &key) {
    if (h.inCandidates)
        return;
    h.inCandidates = true;
    candidates.push_back(key);
}
} // namespace

std::optional<HostTicket> HostScheduler::fromLines(Clock::TimePoint now) {
    while (!m_timed.empty() && m_timed.top().first <= now) {
        const QString key = m_timed.top().second;
        m_timed.pop();
        Host &h = m_hosts[key];
        if (h.timedAt <= now)
            h.inTimed = false;
        pushCandidate(m_candidates, h, key);
    }
    while (!m_candidates.empty()) {
        const QString key = m_candidates.front();
        m_candidates.pop_front();
        Host &h = m_hosts[key];
        h.inCandidates = false;
        if (h.line.empty())
            continue;
        Clock::TimePoint until{};
        const Verdict v = check(h, key, now, until);
        if (v == Verdict::WaitTime || v == Verdict::WaitSlot) {
            block(h, key, v, until);
            continue;
        }
        const auto [index, since] = h.line.front();
        h.line.pop_front();
        --m_deferred;
        if (!h.line.empty())
            pushCandidate(m_candidates, h, key); // behind the others: hosts take turns
        return handOut(h, key, index, v, now - since);
    }
    return std::nullopt;
}

std::optional<HostTicket> HostScheduler::fromSource(Clock::TimePoint now) {
    while (!m_sourceDone && m_deferred < std::size_t(m_limits.lookahead)) {
        const int index = m_source();
        if (index < 0) {
            m_sourceDone = true;
            break;
        }
        const QString key = m_hostOf(index);
        Host &h = m_hosts[key];
        if (!h.line.empty()) { // the host is held: the item queues behind its host's others
            h.line.emplace_back(index, now);
            ++m_deferred;
            continue;
        }
        Clock::TimePoint until{};
        const Verdict v = check(h, key, now, until);
        if (v == Verdict::Ready || v == Verdict::ReadyWithToken)
            return handOut(h, key, index, v);
        h.line.emplace_back(index, now);
        ++m_deferred;
        block(h, key, v, until);
    }
    return std::nullopt;
}

std::optional<HostTicket> HostScheduler::tryNext() {
    const auto now = m_clock.now();
    auto ticket = fromLines(now);
    if (!ticket)
        ticket = fromSource(now);
    if (ticket)
        wakeOneIfMore(now);
    rearm();
    return ticket;
}

void HostScheduler::wakeOneIfMore(Clock::TimePoint now) {
    if (m_wake.waiting() == 0)
        return;
    const bool more = !m_candidates.empty() || (!m_timed.empty() && m_timed.top().first <= now) ||
                      (!m_sourceDone && m_deferred < std::size_t(m_limits.lookahead));
    if (more)
        m_wake.notifyOne(); // it takes the next, and wakes another if there is still more
}

bool HostScheduler::finished() const {
    return m_sourceDone && m_deferred == 0 && m_active == 0;
}

async::Notifier::Awaiter HostScheduler::wait(std::stop_token token) {
    rearm();
    return m_wake.wait(std::move(token));
}

void HostScheduler::rearm() {
    if (m_timed.empty())
        return;
    const auto at = m_timed.top().first;
    if (m_timer != 0 && m_timerAt <= at)
        return;
    m_clock.cancel(m_timer);
    m_timerAt = at;
    m_timer = m_clock.callAt(at, [this] {
        m_timer = 0;
        m_wake.notifyOne();
    });
}

namespace {
// A latency-aware host starts at a few requests at once and grows from there, like slow start.
constexpr int kLatencyStart = 4;
} // namespace

int HostScheduler::limitOf(const Host &h) const {
    if (!m_limits.latencyAware)
        return m_limits.perHost;
    const int max = m_limits.perHost > 0 ? m_limits.perHost : m_limits.latencyMax;
    return h.latency ? h.latency->current() : std::min(kLatencyStart, max);
}

int HostScheduler::hostLimit(const QString &host) const {
    const auto it = m_hosts.find(host);
    return it == m_hosts.end() ? limitOf(Host{}) : limitOf(it->second);
}

void HostScheduler::finish(const HostTicket &ticket, HostOutcome outcome, double wireMs) {
    Host &h = m_hosts[ticket.host];
    if (m_limits.latencyAware && outcome == HostOutcome::Answered && wireMs >= 0) {
        if (!h.latency)
            h.latency.emplace(limitOf(h),
                              m_limits.perHost > 0 ? m_limits.perHost : m_limits.latencyMax);
        h.latency->observe(wireMs);
    }
    --h.active;
    --m_active;
    h.probesActive -= ticket.probe ? 1 : 0;
    const auto now = m_clock.now();
    if (outcome == HostOutcome::Parked) {
        // Ahead of the items that never started, in list order among the parked ones; its
        // parked time counts in its own result.
        const auto at = std::upper_bound(h.line.begin(), h.line.end(), ticket.index,
                                         [](int index, const auto &e) { return index < e.first; });
        h.line.emplace(at, ticket.index, now);
        ++m_deferred;
        pushCandidate(m_candidates, h, ticket.host);
    } else if (!ticket.host.isEmpty()) {
        breakerAfter(h, ticket, outcome, now);
    }
    if (h.waitingSlot) {
        h.waitingSlot = false;
        pushCandidate(m_candidates, h, ticket.host);
    }
    if (finished())
        m_wake.notifyAll();
    else
        m_wake.notifyOne();
}

void HostScheduler::breakerAfter(Host &h, const HostTicket &ticket, HostOutcome outcome,
                                 Clock::TimePoint now) {
    const BreakerPolicy &policy = m_limits.breaker;
    const QString &key = ticket.host;
    // Items handed out before the host's last time-out say nothing new about it.
    if (policy.failures <= 0 || h.givenUp || outcome == HostOutcome::Dropped ||
        ticket.epoch < h.epoch)
        return;
    if (outcome == HostOutcome::Answered) {
        h.failuresInRow = 0;
        h.trips = 0;
        h.probing = false;
        return;
    }
    ++h.failuresInRow;
    if (!h.probing && h.failuresInRow < policy.failures)
        return;
    if (h.trips >= policy.maxTrips) {
        h.givenUp = true;
        qCInfo(lcFetch).noquote() << key << "failed" << h.failuresInRow
                                  << "times in a row: its remaining items fail unsent";
        return;
    }
    const auto timeout = policy.timeout * (1 << std::min(h.trips, 16));
    ++h.trips;
    ++h.epoch;
    ++m_trips;
    h.probing = true;
    h.openUntil = now + timeout;
    qCInfo(lcFetch).noquote() << key << "failed" << h.failuresInRow
                              << "times in a row: a time-out of" << async::toMs(timeout) << "ms";
}

QString HostScheduler::givenUpReason(const QString &host) const {
    const auto it = m_hosts.find(host);
    const int failures = it == m_hosts.end() ? 0 : it->second.failuresInRow;
    return QStringLiteral("not sent: %1 failed %2 times in a row, through %3 time-outs (circuit "
                          "breaker)")
        .arg(host)
        .arg(failures)
        .arg(m_limits.breaker.maxTrips);
}

HeldStatus HostScheduler::held() const {
    HeldStatus status;
    const auto now = m_clock.now();
    for (const auto &[key, h] : m_hosts) {
        if (h.line.empty())
            continue;
        status.items += h.line.size();
        ++status.hosts;
        if (now < h.openUntil) {
            const auto wait = h.openUntil - now;
            status.nextProbe = status.timedOut == 0 ? wait : std::min(status.nextProbe, wait);
            ++status.timedOut;
        }
    }
    return status;
}

QList<int> HostScheduler::takeRemaining() {
    QList<int> rest;
    for (auto &[key, h] : m_hosts) {
        for (const auto &entry : h.line)
            rest << entry.first;
        h.line.clear();
    }
    m_deferred = 0;
    for (int index = m_source(); index >= 0; index = m_source())
        rest << index;
    m_sourceDone = true;
    std::sort(rest.begin(), rest.end());
    return rest;
}

} // namespace vigil::fetch
