#include "politeness.h"

#include "httpclient.h"

#include "async/keyedratelimiter.h"
#include "async/sleep.h"
#include "async/unlesscancelled.h"
#include "util/logging.h"

#include <QRandomGenerator>

namespace vigil::net {

namespace {
bool wantsRetry(const PoliteHooks &hooks, const HttpResponse &response) {
    switch (hooks.judge ? hooks.judge(response) : AttemptVerdict::ByResponse) {
    case AttemptVerdict::Retry:
        return true;
    case AttemptVerdict::Finish:
        return false;
    case AttemptVerdict::ByResponse:
        break;
    }
    return retryable(response);
}

/// The answer for a host that asked for a longer wait than @p allowed: the request fails rather
/// than hang the batch for as long as a server likes.
HttpResponse waitTooLong(async::Clock::Duration asked, async::Clock::Duration allowed) {
    HttpResponse r;
    r.error = HttpErrorKind::HttpStatus;
    r.status = 429;
    const auto seconds = [](async::Clock::Duration d) {
        return qint64(std::chrono::ceil<std::chrono::seconds>(d).count());
    };
    r.errorMessage = QStringLiteral("the server asked to wait %1 s (longer than the %2 s allowed)")
                         .arg(seconds(asked))
                         .arg(seconds(allowed));
    return r;
}
} // namespace

QCoro::Task<PoliteResult> sendPolitely(HttpClient &client, async::KeyedRateLimiter &limiter,
                                       HttpRequest request, async::RetryPolicy policy,
                                       async::Clock &clock, std::stop_token token,
                                       PoliteHooks hooks) {
    const QString host = originKey(request.url);
    const auto started = clock.now();
    PoliteResult result;
    result.response.error = HttpErrorKind::Cancelled;
    result.response.errorMessage = QStringLiteral("cancelled");
    for (int attempt = 1;; ++attempt) {
        result.attempts = attempt;
        // A host paused beyond the cap (an earlier 429 asked for too long) fails at once.
        const auto pausedFor = limiter.forKey(host).pausedUntil() - clock.now();
        if (pausedFor > policy.maxServerWait) {
            result.response = waitTooLong(pausedFor, policy.maxServerWait);
            co_return result;
        }
        auto turn = limiter.acquire(host, token);
        if (!co_await async::unlessCancelled(turn)) {
            result.cancelled = true;
            co_return result;
        }
        HttpRequest thisAttempt = request;
        if (hooks.prepare)
            hooks.prepare(thisAttempt, attempt);
        auto send = client.send(thisAttempt, token);
        result.response = co_await send;
        const HttpResponse &response = result.response;
        if (response.status == 429 && response.retryAfter) {
            limiter.pauseUntil(host, clock.now() + *response.retryAfter); // the whole host waits
            qCInfo(lcFetch).noquote() << host << "said 429: the host pauses for"
                                      << async::toMs(*response.retryAfter) << "ms";
        }
        // Judged even when cancelled: the caller closes what the attempt opened.
        const bool retry = wantsRetry(hooks, response);
        if (token.stop_requested()) {
            result.cancelled = true;
            co_return result;
        }
        if (response.retryAfter && *response.retryAfter > policy.maxServerWait) {
            qCInfo(lcFetch).noquote() << host << "asked for a wait longer than allowed";
            result.response = waitTooLong(*response.retryAfter, policy.maxServerWait);
            co_return result;
        }
        if (!retry)
            co_return result;
        const auto delay = policy.delayAfter(attempt, clock.now() - started, response.retryAfter,
                                             QRandomGenerator::global()->generateDouble());
        if (!delay) {
            qCDebug(lcFetch).noquote() << host << "giving up after attempt" << attempt << "("
                                       << errorKindName(response.error) << response.status << ")";
            co_return result;
        }
        qCDebug(lcFetch).noquote()
            << host << "attempt" << attempt << "failed (" << errorKindName(response.error)
            << response.status << "): retrying in" << async::toMs(*delay) << "ms";
        auto backoff = async::sleepFor(clock, *delay, token);
        if (!co_await async::unlessCancelled(backoff)) {
            result.cancelled = true;
            co_return result;
        }
    }
}

} // namespace vigil::net
