// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "clock.h"

namespace vigil::async {

/// @brief A token bucket measured in bytes, shared by every transfer under one bandwidth cap.
///
/// Non-blocking: a reader asks grant() how much it may take now and, if it got less than it
/// wanted, when to ask again. Readers leave the rest in the socket, so TCP slows the sender down.
class ByteBudget {
public:
    /// @p bytesPerSecond ≤ 0 means unlimited. The burst is a tenth of a second's worth (16 KiB at
    /// least), so the cap holds over short windows too.
    ByteBudget(Clock &clock, qint64 bytesPerSecond);

    [[nodiscard]] bool unlimited() const { return m_rate <= 0; }
    [[nodiscard]] qint64 rate() const { return m_rate; }
    /// Takes up to @p wanted bytes from the budget; returns how many were granted.
    qint64 grant(qint64 wanted);
    /// When at least @p bytes (capped at the burst) will be available again.
    [[nodiscard]] Clock::TimePoint availableAt(qint64 bytes) const;

private:
    void refill();

    Clock &m_clock;
    qint64 m_rate;
    double m_burst;
    double m_tokens;
    Clock::TimePoint m_last;
};

} // namespace vigil::async
