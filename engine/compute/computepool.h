// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "async/cancellation.h"

#include <QCoroFuture>
#include <QCoroTask>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <memory>
#include <optional>
#include <type_traits>

namespace vigil::compute {

/// @brief The one dedicated thread pool for CPU work (decimation, hashing, kinetics), so heavy jobs
/// never compete with Qt's global pool or run on the GUI thread.
class ComputePool {
public:
    /// The pool; created on first use with at least two threads.
    [[nodiscard]] static QThreadPool &pool();
};

namespace detail {
template <typename R> struct OffloadSlot {
    std::optional<std::conditional_t<std::is_void_v<R>, std::monostate, R>> value;
    std::exception_ptr error;
};
} // namespace detail

/// Runs @p fn on the compute pool and resumes with its result on the calling thread (asyncio's
/// to_thread). @p fn gets no shared mutable state: pass copies or immutable snapshots. Exceptions
/// thrown by @p fn are rethrown at the co_await.
template <typename F> auto offload(F fn) -> QCoro::Task<std::invoke_result_t<F &>> {
    using R = std::invoke_result_t<F &>;
    auto slot = std::make_shared<detail::OffloadSlot<R>>();
    // GCC 12 frees a lambda temporary inside a co_await expression twice (DESIGN.md), so the job
    // and its future are named locals.
    auto job = [slot, fn = std::move(fn)]() mutable {
        try {
            if constexpr (std::is_void_v<R>) {
                fn();
                slot->value.emplace();
            } else {
                slot->value.emplace(fn());
            }
        } catch (...) {
            slot->error = std::current_exception();
        }
    };
    QFuture<void> future = QtConcurrent::run(&ComputePool::pool(), std::move(job));
    // QCoro 0.8 crashes when it resumes on a cancelled QFuture; check first.
    if (!future.isCanceled())
        co_await future;
    if (future.isCanceled() || (!slot->value && !slot->error))
        throw async::Cancelled();
    if (slot->error)
        std::rethrow_exception(slot->error);
    if constexpr (!std::is_void_v<R>)
        co_return std::move(*slot->value);
}

} // namespace vigil::compute
