// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cancellation.h"
#include "notifier.h"
#include "outcome.h"
#include "settle.h"

#include <QCoroTask>
#include <QtGlobal>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace vigil::async {

enum class GroupPolicy {
    CollectAll, ///< every child runs to its end; results and errors in place
                ///< (gather(return_exceptions=True))
    FailFast,   ///< the first failure cancels the siblings and is rethrown by join()
                ///< (asyncio.TaskGroup)
};

/// @brief Structured concurrency for coroutines: the group owns its children.
///
/// Children are tasks built with the group's token(). join() returns only after every child has
/// finished, and the group must be joined before it goes: its destructor asserts that no child
/// still runs (as cppcoro's async_scope does), since a child left running would outlive the
/// caller's locals it points at. To stop early, cancel() and then join().
///
/// A child must not be a capturing lambda coroutine: its captures would dangle.
template <typename T = void> class TaskGroup {
public:
    using Result = Outcome<T>;

    explicit TaskGroup(GroupPolicy policy = GroupPolicy::CollectAll,
                       const std::stop_token &parent = {})
        : m_state(std::make_shared<State>(policy, parent)) {}
    TaskGroup(const TaskGroup &) = delete;
    TaskGroup &operator=(const TaskGroup &) = delete;
    ~TaskGroup() {
        Q_ASSERT_X(m_state->running == 0, "TaskGroup",
                   "destroyed with children running; cancel() and co_await join() first");
    }

    /// The token every child must honour; it stops on cancel(), on a fail-fast failure, and when
    /// the parent token stops.
    [[nodiscard]] std::stop_token token() const { return m_state->scope.token(); }

    /// For groups that supervise work indefinitely (a poller): outcomes are not kept, so memory
    /// stays flat however many children come and go.
    void discardResults() { m_state->keepResults = false; }

    /// Adopts @p child; returns its index, the position of its result in join()'s vector.
    std::size_t spawn(QCoro::Task<T> child) {
        const std::size_t index = m_state->spawned++;
        if (m_state->keepResults)
            m_state->results.emplace_back();
        ++m_state->running;
        supervise(m_state, index, std::move(child));
        return index;
    }

    void cancel() { m_state->scope.requestStop(); }
    [[nodiscard]] bool isCancelled() const { return m_state->scope.stopRequested(); }

    [[nodiscard]] std::size_t size() const { return m_state->spawned; }
    [[nodiscard]] std::size_t running() const { return m_state->running; }
    [[nodiscard]] const Result &result(std::size_t index) const { return m_state->results[index]; }

    /// Waits for every child. CollectAll: each result or error in submission order. FailFast: the
    /// same when all succeeded; otherwise rethrows the first failure, or Cancelled if the group was
    /// cancelled from outside.
    [[nodiscard]] QCoro::Task<std::vector<Result>> join() {
        auto state = m_state;
        while (state->running > 0)
            co_await state->changed.wait();
        if (state->policy == GroupPolicy::FailFast) {
            if (state->firstFailure)
                std::rethrow_exception(state->firstFailure);
            if (state->scope.stopRequested())
                throw Cancelled();
        }
        co_return std::vector<Result>(state->results.begin(), state->results.end());
    }

private:
    struct State {
        State(GroupPolicy p, const std::stop_token &parent)
            : policy(p)
            , scope(parent) {}
        GroupPolicy policy;
        LinkedStopSource scope;
        std::deque<Result> results;
        std::size_t spawned = 0;
        bool keepResults = true;
        std::size_t running = 0;
        std::exception_ptr firstFailure;
        Notifier changed;
    };

    // The child and the shared state live in this frame, so join() keeps valid bookkeeping
    // whatever the order in which frames end.
    static QCoro::Task<> supervise(std::shared_ptr<State> state, std::size_t index,
                                   QCoro::Task<T> child) {
        Result result = co_await settle(std::move(child));
        const bool cancelledByUs = state->scope.stopRequested() && result.isCancelled();
        if (state->policy == GroupPolicy::FailFast && !result.isOk() && !state->firstFailure &&
            !cancelledByUs) {
            state->firstFailure = result.error();
            state->scope.requestStop();
        }
        --state->running;
        if (state->keepResults)
            state->results[index] = std::move(result);
        state->changed.notifyAll();
    }

    std::shared_ptr<State> m_state;
};

} // namespace vigil::async
