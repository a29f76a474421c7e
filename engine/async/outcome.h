// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cancellation.h"

#include <QString>

#include <exception>
#include <optional>
#include <type_traits>
#include <variant>

namespace vigil::async {

/// A readable message for any exception a coroutine can end with.
[[nodiscard]] QString describeError(const std::exception_ptr &error);

/// @brief A child's result or its error, kept in place: asyncio's gather(return_exceptions=True).
template <typename T> class Outcome {
public:
    using Value = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

    Outcome() = default;
    static Outcome success(Value value) {
        Outcome o;
        o.m_value.emplace(std::move(value));
        return o;
    }
    static Outcome failure(std::exception_ptr error) {
        Outcome o;
        o.m_error = std::move(error);
        return o;
    }

    [[nodiscard]] bool isDone() const { return m_value.has_value() || m_error != nullptr; }
    [[nodiscard]] bool isOk() const { return m_value.has_value(); }
    [[nodiscard]] const Value &value() const { return *m_value; }
    [[nodiscard]] Value &value() { return *m_value; }
    [[nodiscard]] std::exception_ptr error() const { return m_error; }
    [[nodiscard]] QString errorMessage() const { return describeError(m_error); }

    template <typename E> [[nodiscard]] bool failedWith() const {
        if (!m_error)
            return false;
        try {
            std::rethrow_exception(m_error);
        } catch (const E &) {
            return true;
        } catch (...) {
            return false;
        }
    }
    [[nodiscard]] bool isCancelled() const { return failedWith<Cancelled>(); }
    [[nodiscard]] bool isTimeout() const { return failedWith<TimeoutError>(); }

private:
    std::optional<Value> m_value;
    std::exception_ptr m_error;
};

} // namespace vigil::async
