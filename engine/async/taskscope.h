// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cancellation.h"
#include "notifier.h"

#include <QCoroTask>

#include <exception>
#include <functional>
#include <memory>

namespace vigil::async {

/// @brief The owner of an object's background coroutines: asyncio's create_task with a
/// supervisor. GUI thread.
///
/// spawn() adopts a task built with token(); the task runs on its own and is forgotten when it
/// ends, so a scope that supervises work indefinitely keeps flat memory. A task that ends with an
/// error other than Cancelled is not lost: it is logged and handed to the error callback.
///
/// `co_await close()` cancels what runs and returns once every task has finished; the owner does
/// that before it goes (from an async shutdown or a closeEvent, never from a destructor), and the
/// destructor asserts it happened, or that nothing runs. An object that stops and starts again
/// (a poller) uses cancel() + join() instead and keeps the scope open.
///
/// spawn() after close() is a programming error and asserts: the scope's token is stopped, so in a
/// release build the task ends at its first wait, but nobody would join it.
///
/// A spawned task must not be a capturing lambda coroutine: its captures would dangle.
class TaskScope {
public:
    using ErrorCallback = std::function<void(const std::exception_ptr &error)>;

    /// @p parent stops every task of the scope when it stops (a scope inside a bigger one).
    explicit TaskScope(const std::stop_token &parent = {});
    TaskScope(const TaskScope &) = delete;
    TaskScope &operator=(const TaskScope &) = delete;
    ~TaskScope();

    /// The token every spawned task must honour. It stops on cancel(), close() and when the
    /// parent stops; after cancel() it is a fresh token again, for the tasks spawned next.
    [[nodiscard]] std::stop_token token() const;

    /// Adopts @p task (already started, since QCoro tasks start eagerly) until it ends.
    void spawn(QCoro::Task<> task);

    /// Cancels every task running now; the scope stays open for new ones.
    void cancel();
    /// Waits until no task runs, without cancelling any.
    [[nodiscard]] QCoro::Task<> join();
    /// Cancels and joins, and refuses further spawns. Idempotent: a second close() (or one that
    /// runs beside the first) returns once nothing runs.
    [[nodiscard]] QCoro::Task<> close();

    /// Called with the error of each task that ends with an exception other than Cancelled.
    void setErrorCallback(ErrorCallback callback);

    [[nodiscard]] std::size_t running() const;
    [[nodiscard]] bool isClosed() const;

private:
    struct State;
    static QCoro::Task<> supervise(std::shared_ptr<State> state, QCoro::Task<> task);

    // Shared with every supervising frame, so the bookkeeping stays valid until the last task
    // ends, whatever happens to the scope object.
    std::shared_ptr<State> m_state;
};

} // namespace vigil::async
