// SPDX-License-Identifier: Apache-2.0
#include "bytebudget.h"

#include <algorithm>

namespace vigil::async {

ByteBudget::ByteBudget(Clock &clock, qint64 bytesPerSecond)
    : m_clock(clock)
    , m_rate(bytesPerSecond)
    , m_burst(std::max(16.0 * 1024, double(bytesPerSecond) / 10.0))
    , m_tokens(m_burst)
    , m_last(clock.now()) {}

void ByteBudget::refill() {
    const auto now = m_clock.now();
    const double seconds = std::chrono::duration<double>(now - m_last).count();
    m_tokens = std::min(m_burst, m_tokens + seconds * double(m_rate));
    m_last = now;
}

qint64 ByteBudget::grant(qint64 wanted) {
    if (unlimited())
        return wanted;
    refill();
    const qint64 granted = std::min<qint64>(wanted, qint64(m_tokens));
    m_tokens -= double(granted);
    return std::max<qint64>(0, granted);
}

Clock::TimePoint ByteBudget::availableAt(qint64 bytes) const {
    if (unlimited())
        return m_clock.now();
    const double need = std::min(double(bytes), m_burst) - m_tokens;
    if (need <= 0)
        return m_clock.now();
    return m_last +
           std::chrono::ceil<Clock::Duration>(std::chrono::duration<double>(need / double(m_rate)));
}

} // namespace vigil::async
