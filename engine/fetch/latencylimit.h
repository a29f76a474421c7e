// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace vigil::fetch {

/// @brief A host's requests-at-once limit that follows its latency (`--per-host auto`): while
/// the host answers about as fast as it can, the limit grows by one per round of answers; once
/// its latency climbs well above its own baseline (requests queue inside the server), the limit
/// shrinks by a fifth. A host that only gets slower when pressed is not pressed.
///
/// The baseline is the fastest answer so far. A host that stays slow even one request at a time
/// has changed its normal (not queued Vigil's requests): its baseline becomes its latency then.
class LatencyLimit {
public:
    /// From @p start requests at once, never above @p max.
    LatencyLimit(int start, int max);

    /// An answer that took @p ms on the wire.
    void observe(double ms);
    /// Requests at once allowed now (at least 1).
    [[nodiscard]] int current() const;
    [[nodiscard]] double baselineMs() const { return m_baselineMs; }
    [[nodiscard]] double smoothedMs() const { return m_smoothedMs; }

    /// Latency above this many baselines shrinks the limit; below kGrowBelow it may grow.
    static constexpr double kShrinkAbove = 2.0;
    static constexpr double kGrowBelow = 1.25;

private:
    double m_limit;
    int m_max;
    double m_baselineMs = -1;
    double m_smoothedMs = -1;
    int m_answersSinceChange = 0;
};

} // namespace vigil::fetch
