// SPDX-License-Identifier: Apache-2.0
#include "keyedratelimiter.h"

namespace vigil::async {

RateLimiter &KeyedRateLimiter::forKey(const QString &key) {
    auto &slot = m_limiters[key];
    if (!slot)
        slot = std::make_unique<RateLimiter>(m_clock, m_rate, m_burst);
    return *slot;
}

} // namespace vigil::async
