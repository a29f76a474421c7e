// SPDX-License-Identifier: Apache-2.0
#include "sleep.h"

namespace vigil::async {

void SleepAwaiter::await_suspend(std::coroutine_handle<> handle) {
    m_timer = m_clock.callAt(m_until, [this] {
        m_timer = 0;
        m_node.wake(detail::WaitState::Granted);
    });
    m_node.suspend(handle, nullptr, m_token, [this] {
        m_clock.cancel(m_timer);
        m_timer = 0;
    });
}

void SleepAwaiter::await_resume() {
    m_node.disarm();
    if (m_node.state() == detail::WaitState::Cancelled ||
        (m_node.state() == detail::WaitState::Idle && m_token.stop_requested()))
        throw Cancelled();
}

} // namespace vigil::async
