// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <stdexcept>
#include <stop_token>

namespace vigil::async {

/// @brief Thrown by a wait that ended because its stop token was triggered (asyncio's
/// CancelledError).
class Cancelled : public std::runtime_error {
public:
    Cancelled()
        : std::runtime_error("cancelled") {}
};

/// @brief Thrown by withTimeout/withDeadline when the deadline passed before the child finished.
class TimeoutError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

inline void throwIfCancelled(const std::stop_token &token) {
    if (token.stop_requested())
        throw Cancelled();
}

/// @brief A stop source that also stops when its parent token stops: a child cancellation scope.
///
/// Tokens are stopped on the thread their waiters run on (the GUI thread, or a download thread);
/// every awaiter's cancel hook runs synchronously inside request_stop(), and the wait queues it
/// touches are not thread-safe.
class LinkedStopSource {
public:
    explicit LinkedStopSource(const std::stop_token &parent = {});

    [[nodiscard]] std::stop_token token() const { return m_source.get_token(); }
    bool requestStop() { return m_source.request_stop(); }
    [[nodiscard]] bool stopRequested() const { return m_source.stop_requested(); }

private:
    struct Forward {
        std::stop_source target;
        void operator()() { target.request_stop(); }
    };
    std::stop_source m_source;
    std::optional<std::stop_callback<Forward>> m_link;
};

} // namespace vigil::async
