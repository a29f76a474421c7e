#pragma once

#include "cancellation.h"
#include "clock.h"
#include "outcome.h"
#include "sleep.h"

#include <QCoroTask>
#include <QRandomGenerator>

#include <functional>
#include <optional>
#include <stdexcept>
#include <type_traits>

namespace vigil::async {

/// @brief A failure worth another attempt, with the delay the server asked for, if any.
class RetryableError : public std::runtime_error {
public:
    explicit RetryableError(const std::string &what,
                            std::optional<Clock::Duration> retryAfter = std::nullopt)
        : std::runtime_error(what)
        , m_retryAfter(retryAfter) {}
    [[nodiscard]] std::optional<Clock::Duration> retryAfter() const { return m_retryAfter; }

private:
    std::optional<Clock::Duration> m_retryAfter;
};

/// @brief Exponential backoff with full jitter, bounded by attempts and by total elapsed time.
struct RetryPolicy {
    int maxAttempts = 3; ///< attempts in all, the first one included; 1 means no retry
    Clock::Duration baseDelay = std::chrono::milliseconds(200);
    Clock::Duration maxDelay = std::chrono::seconds(10);
    Clock::Duration maxElapsed = std::chrono::seconds(60);

    /// The wait before the next attempt after @p failedAttempts failures, or nullopt to give up.
    /// @p unit is a uniform random number in [0, 1) (full jitter). A server-given delay wins over
    /// the backoff: it is waited in full, or, if it does not fit in maxElapsed, the policy gives
    /// up.
    [[nodiscard]] std::optional<Clock::Duration>
    delayAfter(int failedAttempts, Clock::Duration elapsed,
               std::optional<Clock::Duration> serverDelay, double unit) const;

    /// The backoff cap for the attempt: min(maxDelay, baseDelay * 2^(failedAttempts-1)).
    [[nodiscard]] Clock::Duration backoffCap(int failedAttempts) const;
};

/// @brief What the retry loop reports before each wait, for logs and result columns.
struct RetryNotice {
    int failedAttempts;
    Clock::Duration delay;
    QString reason;
};

/// Runs @p attempt(n) for n = 1, 2, … until it succeeds, throws something other than
/// RetryableError, or the policy gives up (then the last RetryableError is rethrown). Waits are on
/// @p clock and stop with @p token.
template <typename Attempt>
auto retrying(Clock &clock, RetryPolicy policy, std::stop_token token, Attempt attempt,
              std::function<void(const RetryNotice &)> onRetry = {})
    -> std::invoke_result_t<Attempt &, int> {
    using Result = typename std::invoke_result_t<Attempt &, int>::value_type;
    const auto started = clock.now();
    for (int n = 1;; ++n) {
        std::exception_ptr failure;
        std::optional<Clock::Duration> serverDelay;
        try {
            auto task = attempt(n);
            if constexpr (std::is_void_v<Result>) {
                co_await task;
                co_return;
            } else {
                co_return co_await task;
            }
        } catch (const RetryableError &e) {
            failure = std::current_exception();
            serverDelay = e.retryAfter();
        }
        const double unit = QRandomGenerator::global()->generateDouble();
        const auto delay = policy.delayAfter(n, clock.now() - started, serverDelay, unit);
        if (!delay || token.stop_requested())
            std::rethrow_exception(failure);
        if (onRetry)
            onRetry(RetryNotice{n, *delay, describeError(failure)});
        co_await sleepFor(clock, *delay, token);
    }
}

} // namespace vigil::async
