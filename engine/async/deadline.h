// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cancellation.h"
#include "clock.h"

#include <QCoroTask>

#include <type_traits>

namespace vigil::async {

/// @brief A point in time by which an operation must finish (a total deadline, not an idle one).
struct Deadline {
    Clock::TimePoint at = Clock::TimePoint::max();

    [[nodiscard]] static Deadline after(const Clock &clock, Clock::Duration d) {
        return {clock.now() + d};
    }
    [[nodiscard]] static Deadline never() { return {}; }
    [[nodiscard]] bool isNever() const { return at == Clock::TimePoint::max(); }
    [[nodiscard]] bool expired(const Clock &clock) const { return clock.now() >= at; }
    [[nodiscard]] Clock::Duration remaining(const Clock &clock) const {
        return isNever() ? Clock::Duration::max()
                         : std::max(Clock::Duration::zero(), at - clock.now());
    }
};

namespace detail {
/// Cancels a clock timer when the coroutine frame that armed it ends, on every path.
class ScopedTimer {
public:
    ScopedTimer(Clock &clock, Clock::TimerId id)
        : m_clock(clock)
        , m_id(id) {}
    ScopedTimer(const ScopedTimer &) = delete;
    ScopedTimer &operator=(const ScopedTimer &) = delete;
    ~ScopedTimer() { m_clock.cancel(m_id); }

private:
    Clock &m_clock;
    Clock::TimerId m_id;
};
} // namespace detail

/// Runs the task that @p makeTask builds from a stop token, and cancels it at @p deadline.
/// Returns its result, or throws TimeoutError once the cancelled child has finished: the child is
/// cancelled and awaited, never leaked. A stop of @p parent is passed on as plain cancellation.
///
/// @p makeTask must not be a capturing lambda coroutine (its captures would dangle); pass a free or
/// member coroutine, or a plain lambda that calls one.
template <typename Factory>
auto withDeadline(Clock &clock, Deadline deadline, std::stop_token parent, Factory makeTask)
    -> std::invoke_result_t<Factory &, std::stop_token> {
    using Result = typename std::invoke_result_t<Factory &, std::stop_token>::value_type;
    LinkedStopSource scope(parent);
    bool timedOut = false;
    auto onDeadline = [&scope, &timedOut] {
        timedOut = true;
        scope.requestStop();
    };
    detail::ScopedTimer timer(clock,
                              deadline.isNever() ? 0 : clock.callAt(deadline.at, onDeadline));
    auto child = makeTask(scope.token());
    try {
        if constexpr (std::is_void_v<Result>) {
            co_await child;
            co_return;
        } else {
            co_return co_await child;
        }
    } catch (const Cancelled &) {
        if (!timedOut || parent.stop_requested())
            throw;
    }
    throw TimeoutError("timed out");
}

/// withDeadline with a deadline @p timeout from now (asyncio.wait_for).
template <typename Factory>
auto withTimeout(Clock &clock, Clock::Duration timeout, std::stop_token parent, Factory makeTask)
    -> std::invoke_result_t<Factory &, std::stop_token> {
    return withDeadline(clock, Deadline::after(clock, timeout), std::move(parent),
                        std::move(makeTask));
}

} // namespace vigil::async
