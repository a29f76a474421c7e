// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cancellation.h"

#include <coroutine>
#include <type_traits>

namespace vigil::async {

/// @brief Awaits a cancellable wait and yields false instead of throwing Cancelled (true when the
/// wait completed), so a loop ends a cancelled wait with an `if` rather than a try/catch.
///
/// Holds only a pointer to the wrapped awaiter: bind the awaiter to a named local and wrap that,
/// `auto wait = limiter.acquire(key, token); if (!co_await unlessCancelled(wait)) …`. The wrapper
/// itself is trivially destructible, so GCC 12 destroying a co_await temporary twice (see
/// DESIGN.md) does it no harm. Only for awaiters whose await_resume() returns void.
template <typename Awaiter> class UnlessCancelled {
public:
    explicit UnlessCancelled(Awaiter &inner)
        : m_inner(&inner) {}

    bool await_ready() { return m_inner->await_ready(); }
    decltype(auto) await_suspend(std::coroutine_handle<> handle) {
        return m_inner->await_suspend(handle);
    }
    bool await_resume() {
        try {
            m_inner->await_resume();
        } catch (const Cancelled &) {
            return false;
        }
        return true;
    }

private:
    Awaiter *m_inner;
};

template <typename Awaiter>
[[nodiscard]] UnlessCancelled<Awaiter> unlessCancelled(Awaiter &awaiter) {
    static_assert(std::is_void_v<decltype(awaiter.await_resume())>,
                  "unlessCancelled() wraps waits that return nothing");
    return UnlessCancelled<Awaiter>(awaiter);
}

} // namespace vigil::async
