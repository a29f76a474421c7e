// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cancellation.h"
#include "waitqueue.h"

#include <optional>
#include <utility>

namespace vigil::async {

/// @brief A counting semaphore for coroutines (asyncio.Semaphore), FIFO-fair and cancellable.
///
/// A released permit goes straight to the longest waiter, so a late arrival never overtakes the
/// queue. The semaphore must outlive its permits.
class AsyncSemaphore {
public:
    /// @brief Holds one permit; releases it on destruction (the `async with sem:` block).
    class Permit {
    public:
        Permit() = default;
        explicit Permit(AsyncSemaphore *owner)
            : m_owner(owner) {}
        Permit(Permit &&other) noexcept
            : m_owner(std::exchange(other.m_owner, nullptr)) {}
        Permit &operator=(Permit &&other) noexcept {
            if (this != &other) {
                release();
                m_owner = std::exchange(other.m_owner, nullptr);
            }
            return *this;
        }
        ~Permit() { release(); }

        void release() {
            if (auto *owner = std::exchange(m_owner, nullptr))
                owner->release();
        }
        [[nodiscard]] bool owns() const { return m_owner != nullptr; }

    private:
        AsyncSemaphore *m_owner = nullptr;
    };

    class AcquireAwaiter {
    public:
        AcquireAwaiter(AsyncSemaphore &sem, std::stop_token token)
            : m_sem(sem)
            , m_token(std::move(token)) {}
        AcquireAwaiter(const AcquireAwaiter &) = delete;
        AcquireAwaiter &operator=(const AcquireAwaiter &) = delete;
        AcquireAwaiter(AcquireAwaiter &&) noexcept = default;

        bool await_ready();
        void await_suspend(std::coroutine_handle<> handle) {
            m_node.suspend(handle, &m_sem.m_waiters, m_token);
        }
        Permit await_resume();

    private:
        AsyncSemaphore &m_sem;
        std::stop_token m_token;
        detail::WaitNode m_node;
    };

    explicit AsyncSemaphore(std::size_t permits)
        : m_available(permits)
        , m_capacity(permits) {}
    AsyncSemaphore(const AsyncSemaphore &) = delete;
    AsyncSemaphore &operator=(const AsyncSemaphore &) = delete;

    [[nodiscard]] AcquireAwaiter acquire(std::stop_token token = {}) {
        return {*this, std::move(token)};
    }
    [[nodiscard]] std::optional<Permit> tryAcquire();

    [[nodiscard]] std::size_t available() const { return m_available; }
    [[nodiscard]] std::size_t capacity() const { return m_capacity; }
    [[nodiscard]] std::size_t waiting() const { return m_waiters.size(); }
    [[nodiscard]] std::size_t inUse() const { return m_capacity - m_available; }

private:
    void release();

    std::size_t m_available;
    std::size_t m_capacity;
    detail::WaitQueue m_waiters;
};

} // namespace vigil::async
