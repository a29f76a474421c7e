// SPDX-License-Identifier: Apache-2.0
#include "asyncsemaphore.h"

namespace vigil::async {

bool AsyncSemaphore::AcquireAwaiter::await_ready() {
    if (m_token.stop_requested())
        return true;
    if (m_sem.m_waiters.empty() && m_sem.m_available > 0) {
        --m_sem.m_available;
        m_node.completeNow(detail::WaitState::Granted);
        return true;
    }
    return false;
}

AsyncSemaphore::Permit AsyncSemaphore::AcquireAwaiter::await_resume() {
    // A permit handed over before the cancel arrived is kept: it is released by the Permit,
    // never lost.
    m_node.takeGrantOrThrow();
    return Permit(&m_sem);
}

std::optional<AsyncSemaphore::Permit> AsyncSemaphore::tryAcquire() {
    if (!m_waiters.empty() || m_available == 0)
        return std::nullopt;
    --m_available;
    return Permit(this);
}

void AsyncSemaphore::release() {
    // Hand the permit over directly: m_available stays as it is and nobody can barge in.
    if (!m_waiters.wakeFront(detail::WaitState::Granted))
        ++m_available;
}

} // namespace vigil::async
