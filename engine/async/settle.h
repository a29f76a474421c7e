// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "outcome.h"

#include <QCoroTask>

#include <functional>

namespace vigil::async {

/// Awaits @p task and returns its result or its error as an Outcome; never throws.
template <typename T> [[nodiscard]] QCoro::Task<Outcome<T>> settle(QCoro::Task<T> task) {
    try {
        if constexpr (std::is_void_v<T>) {
            co_await task;
            co_return Outcome<T>::success({});
        } else {
            co_return Outcome<T>::success(co_await task);
        }
    } catch (...) {
        co_return Outcome<T>::failure(std::current_exception());
    }
}

/// Hands @p task's Outcome to @p done when it finishes: how plain code (main(), tests) consumes a
/// coroutine without QCoro::waitFor, which hangs when the task throws.
template <typename T>
QCoro::Task<> observe(QCoro::Task<T> task, std::function<void(Outcome<T>)> done) {
    auto outcome = co_await settle(std::move(task));
    done(std::move(outcome));
}

} // namespace vigil::async
