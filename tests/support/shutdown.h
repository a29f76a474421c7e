// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "asynctest.h"

namespace vigil::test {

/// Runs @p owner.shutdown() to its end on the real event loop, as closing a window does in the
/// app; true when it ended without an error. Owners' destructors assert that this happened.
template <typename T> bool shutDown(T &owner) {
    auto shutdown = owner.shutdown();
    return drive(std::move(shutdown)).isOk();
}

/// @brief Shuts @p owner down when the test leaves the block, a failed QVERIFY's early return
/// included. Declare it right after the owner, so that it runs before the owner's destructor.
template <typename T> class ShutDownAtExit {
public:
    explicit ShutDownAtExit(T &owner)
        : m_owner(owner) {}
    ShutDownAtExit(const ShutDownAtExit &) = delete;
    ShutDownAtExit &operator=(const ShutDownAtExit &) = delete;
    ~ShutDownAtExit() {
        if (!shutDown(m_owner))
            qWarning("ShutDownAtExit: shutdown() failed");
    }

private:
    T &m_owner;
};

} // namespace vigil::test
