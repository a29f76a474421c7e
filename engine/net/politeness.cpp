// SPDX-License-Identifier: Apache-2.0
#include "politeness.h"

#include "ratelimitheaders.h"
#include "transport.h"

#include "async/keyedratelimiter.h"
#include "async/retryafter.h"
#include "async/sleep.h"
#include "async/unlesscancelled.h"
#include "util/logging.h"

#include <QRandomGenerator>

#include <algorithm>

namespace vigil::net {

namespace {
/// A 403 that is a rate limit (GitHub's way): only an adaptive rate reads it so, and then it has
/// a Retry-After (set by report()).
bool isThrottling403(const HttpResponse &response) {
    return response.status == 403 && response.retryAfter.has_value();
}

bool wantsRetry(const PoliteHooks &hooks, const HttpResponse &response) {
    switch (hooks.judge ? hooks.judge(response) : AttemptVerdict::ByResponse) {
    case AttemptVerdict::Retry:
        return true;
    case AttemptVerdict::Finish:
        return false;
    case AttemptVerdict::ByResponse:
        break;
    }
    return retryable(response) || isThrottling403(response);
}

std::int64_t wholeSeconds(async::Clock::Duration d) {
    return std::int64_t(std::chrono::ceil<std::chrono::seconds>(d).count());
}

/// The answer for a host that asked for a longer wait than @p allowed: the request fails rather
/// than hang the batch for as long as a server likes. @p waited is what it already waited.
HttpResponse waitTooLong(int status, async::Clock::Duration asked, async::Clock::Duration allowed,
                         async::Clock::Duration waited = {}) {
    HttpResponse r;
    r.error = HttpErrorKind::HttpStatus;
    r.status = status;
    r.errorMessage =
        waited <= async::Clock::Duration::zero()
            ? QStringLiteral("the server asked to wait %1 s (longer than the %2 s allowed)")
                  .arg(wholeSeconds(asked))
                  .arg(wholeSeconds(allowed))
            : QStringLiteral("the server asked to wait %1 s more after %2 s of waiting (longer "
                             "than the %3 s allowed)")
                  .arg(wholeSeconds(asked))
                  .arg(wholeSeconds(waited))
                  .arg(wholeSeconds(allowed));
    return r;
}

bool isThrottled(const HttpResponse &response) {
    return response.status == 429 || response.status == 503 || isThrottling403(response);
}

/// A wait the server asked for: a 429 or 503 (or a rate-limit 403) with a Retry-After in the
/// future. It is the server's pacing, not a failure of the request, so it uses up no attempt.
bool serverAskedToWait(const HttpResponse &response) {
    return isThrottled(response) && response.retryAfter &&
           *response.retryAfter > async::Clock::Duration::zero();
}

/// Tells the limiter how the attempt sent at @p sentAt ended: for an adaptive one, what the
/// server answered and announced. An attempt without an answer (a timeout, a reset connection,
/// cancellation) says nothing about the host's limit. A 403 that says the quota is used up
/// (Retry-After, or nothing remaining) becomes a wait, as GitHub means it.
void report(async::KeyedRateLimiter &limiter, const QString &host, async::Clock::TimePoint sentAt,
            HttpResponse &response, const QDateTime &wallNow) {
    if (!limiter.isAdaptive() || response.status == 0)
        return limiter.ended(host, sentAt);
    // The server's own clock dates its Unix-time resets: a skewed local clock would not.
    const auto serverNow = async::parseHttpDate(response.header("Date"));
    const AnnouncedLimit announced =
        parseAnnouncedLimit(response.headers, serverNow.value_or(wallNow));
    if (response.status == 403 && !response.retryAfter) {
        const auto asked = async::parseRetryAfter(response.header("Retry-After"), wallNow);
        if (asked || announced.remaining == 0.0)
            response.retryAfter =
                asked ? asked : announced.reset.value_or(std::chrono::seconds(60));
    }
    async::HostAnswer answer;
    answer.sentAt = sentAt;
    answer.throttled = isThrottled(response);
    answer.retryAfter = response.retryAfter;
    answer.quota = announced.quota;
    answer.window = announced.window;
    answer.remaining = announced.remaining;
    answer.reset = announced.reset;
    limiter.answered(host, answer);
}

/// A 429 with Retry-After pauses its whole host; with an adaptive rate a 503 or a rate-limit 403
/// does too (the server is asking everyone to back off, not just this request).
bool pausesHost(const async::KeyedRateLimiter &limiter, const HttpResponse &response) {
    return response.retryAfter &&
           (response.status == 429 || (limiter.isAdaptive() && isThrottled(response)));
}

/// What every answer does to the host: the limiter hears of it, a server's "slow down" is
/// counted, and one with Retry-After pauses the host for everyone.
void afterAnswer(async::KeyedRateLimiter &limiter, const QString &host,
                 async::Clock::TimePoint sentAt, async::Clock &clock, PoliteResult &result) {
    HttpResponse &response = result.response;
    report(limiter, host, sentAt, response, clock.wallNow());
    result.throttled += isThrottled(response) ? 1 : 0;
    if (!pausesHost(limiter, response))
        return;
    limiter.pauseUntil(host, clock.now() + *response.retryAfter, response.status); // all of it
    ++result.hostPauses;
    qCInfo(lcFetch).noquote() << host << "said" << response.status << ": the host pauses for"
                              << async::toMs(*response.retryAfter) << "ms";
}

/// Where a request's retries stand: attempts that failed on their own, and the time spent in
/// waits the server asked for.
struct RetryBudget {
    const async::RetryPolicy &policy;
    int failures = 0;
    async::Clock::Duration serverWaited{};

    /// The wait before the next attempt, or nullopt to give up (with @p giveUp set when the
    /// server's wait is what does not fit).
    std::optional<async::Clock::Duration> next(const HttpResponse &response,
                                               async::Clock::Duration elapsed,
                                               std::optional<HttpResponse> &giveUp) {
        if (serverAskedToWait(response)) {
            // Charged at least a second each (Retry-After's unit), so the count stays bounded.
            const auto charge =
                std::max<async::Clock::Duration>(*response.retryAfter, std::chrono::seconds(1));
            if (serverWaited + charge > policy.maxServerWait) {
                giveUp = waitTooLong(response.status, *response.retryAfter, policy.maxServerWait,
                                     serverWaited);
                return std::nullopt;
            }
            serverWaited += charge;
            return *response.retryAfter;
        }
        return policy.delayAfter(++failures, elapsed, response.retryAfter,
                                 QRandomGenerator::global()->generateDouble());
    }
};
} // namespace

namespace {
/// Where a send begins: afresh, or where a parked one stopped (its wait while parked counts as
/// time spent waiting).
PoliteResult startOrResume(const PoliteHooks &hooks, RetryBudget &budget,
                           async::Clock::TimePoint now) {
    PoliteResult result;
    if (!hooks.resume) {
        result.carry.started = now;
        result.carry.waitFrom = now;
        result.response.error = HttpErrorKind::Cancelled;
        result.response.errorMessage = QStringLiteral("cancelled");
        return result;
    }
    result = *hooks.resume;
    result.parked = false;
    result.waited += now - result.carry.parkedAt;
    budget.failures = result.carry.failures;
    budget.serverWaited = result.carry.serverWaited;
    return result;
}

PoliteResult &park(PoliteResult &result, const RetryBudget &budget, int attemptsMade,
                   async::Clock::TimePoint now) {
    result.parked = true;
    result.attempts = attemptsMade;
    result.carry.failures = budget.failures;
    result.carry.serverWaited = budget.serverWaited;
    result.carry.parkedAt = now;
    return result;
}

/// Adds the attempt that was just answered to the send's timeline. A transport that shows no
/// phases (a simulated server, Qt's own stack) has all of its time counted as waiting.
void recordAttempt(PoliteResult &result, async::Clock::TimePoint sentAt,
                   async::Clock::TimePoint now) {
    const HttpResponse &response = result.response;
    AttemptTiming attempt;
    attempt.waitFrom = result.carry.waitFrom;
    attempt.backoff = result.carry.backoff;
    attempt.limit = sentAt - result.carry.waitFrom - result.carry.backoff;
    attempt.sentAt = sentAt;
    attempt.exchange = response.timing;
    attempt.redirects = response.redirects;
    if (!response.redirects.isEmpty())
        attempt.finalUrl = response.finalUrl;
    if (!attempt.exchange.measured) {
        float hopsMs = 0;
        for (const RedirectHop &hop : response.redirects)
            hopsMs += hop.timing.totalMs();
        attempt.exchange = ExchangeTiming::unmeasured(float(async::toMs(now - sentAt)) - hopsMs);
    }
    attempt.status = response.status;
    attempt.error = response.error;
    result.timeline.append(std::move(attempt));
    result.carry.waitFrom = now;
    result.carry.backoff = {};
}

/// What follows an attempt: the send ends, parks, or tries again after a delay.
struct Next {
    enum What { Return, Park, Retry } what = Return;
    async::Clock::Duration delay{};
};

Next decide(async::KeyedRateLimiter &limiter, const QString &host, const PoliteHooks &hooks,
            const async::RetryPolicy &policy, RetryBudget &budget, PoliteResult &result,
            const std::stop_token &token, async::Clock &clock) {
    const HttpResponse &response = result.response;
    // Judged even when cancelled: the caller closes what the attempt opened.
    const bool retry = wantsRetry(hooks, response);
    if (token.stop_requested()) {
        result.cancelled = true;
        return {};
    }
    if (response.retryAfter && *response.retryAfter > policy.maxServerWait) {
        qCInfo(lcFetch).noquote() << host << "asked for a wait longer than allowed";
        result.response = waitTooLong(response.status, *response.retryAfter, policy.maxServerWait);
        return {};
    }
    if (!retry)
        return {};
    std::optional<HttpResponse> giveUp;
    const auto delay = budget.next(response, clock.now() - result.carry.started, giveUp);
    if (!delay) {
        qCDebug(lcFetch).noquote() << host << "giving up after attempt" << result.attempts << "("
                                   << errorKindName(response.error) << response.status << ")";
        if (giveUp)
            result.response = std::move(*giveUp);
        return {};
    }
    // The host is paused for everyone, about as long as this send must wait: the wait is the
    // host's, and a parked send holds no slot through it (the budget has charged it already).
    // A longer wait of its own (a 503's Retry-After) is slept out here. The slack covers the
    // clock's move since the pause was set from this very answer.
    constexpr auto kSlack = std::chrono::milliseconds(100);
    if (hooks.parkOnPause && limiter.forKey(host).pausedUntil() + kSlack >= clock.now() + *delay)
        return {Next::Park, *delay};
    return {Next::Retry, *delay};
}
} // namespace

QCoro::Task<PoliteResult> sendPolitely(Transport &client, async::KeyedRateLimiter &limiter,
                                       HttpRequest request, async::RetryPolicy policy,
                                       async::Clock &clock, std::stop_token token,
                                       PoliteHooks hooks) {
    const QString host = originKey(request.url);
    RetryBudget budget{policy};
    PoliteResult result = startOrResume(hooks, budget, clock.now());
    bool tokenHeld = hooks.tokenHeld;
    for (int attempt = result.attempts + 1;; ++attempt) {
        result.attempts = attempt;
        // A host pause (any request's 429) is a wait the server asked for, so it counts toward
        // the same bound; one that would pass it fails at once, without knocking.
        const auto pausedFor = limiter.forKey(host).pausedUntil() - clock.now();
        if (pausedFor > async::Clock::Duration::zero()) {
            if (budget.serverWaited + pausedFor > policy.maxServerWait) {
                result.response = waitTooLong(limiter.pauseStatus(host), pausedFor,
                                              policy.maxServerWait, budget.serverWaited);
                co_return result;
            }
            budget.serverWaited += pausedFor;
            if (hooks.parkOnPause && !tokenHeld)
                co_return park(result, budget, attempt - 1, clock.now());
        }
        if (!tokenHeld) {
            auto turn = limiter.acquire(host, token);
            const auto queuedAt = clock.now();
            const bool gotTurn = co_await async::unlessCancelled(turn);
            result.waited += clock.now() - queuedAt;
            if (!gotTurn) {
                result.cancelled = true;
                co_return result;
            }
        }
        tokenHeld = false;
        HttpRequest thisAttempt = request;
        if (hooks.prepare)
            hooks.prepare(thisAttempt, attempt);
        const auto sentAt = clock.now();
        limiter.sent(host, sentAt);
        auto send = client.send(thisAttempt, token);
        result.response = co_await send;
        recordAttempt(result, sentAt, clock.now());
        afterAnswer(limiter, host, sentAt, clock, result);
        const Next next = decide(limiter, host, hooks, policy, budget, result, token, clock);
        if (next.what == Next::Return)
            co_return result;
        if (next.what == Next::Park)
            co_return park(result, budget, attempt, clock.now());
        const auto delay = next.delay;
        qCDebug(lcFetch).noquote()
            << host << "attempt" << attempt << "failed (" << errorKindName(result.response.error)
            << result.response.status << "): retrying in" << async::toMs(delay) << "ms";
        auto backoff = async::sleepFor(clock, delay, token);
        const auto sleptAt = clock.now();
        const bool slept = co_await async::unlessCancelled(backoff);
        result.waited += clock.now() - sleptAt;
        result.carry.backoff = clock.now() - sleptAt;
        if (!slept) {
            result.cancelled = true;
            co_return result;
        }
    }
}

} // namespace vigil::net
