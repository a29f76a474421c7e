// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

namespace vigil::sensors {

/// @brief One stored point: wall-clock ms and a value; NaN marks a failed reading (a gap).
struct Sample {
    qint64 t;
    double v;
};

/// @brief first/min/max/last of a run of samples, with the times of the extremes.
struct Envelope {
    qint64 tFirst = 0, tLast = 0, tMin = 0, tMax = 0;
    qint64 tGap = 0; ///< the time of the latest failed reading, when hasGap
    double first = 0, last = 0;
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    bool hasValue = false;
    bool hasGap = false;

    void add(const Sample &s);
    void merge(const Envelope &e);
};

/// @brief A sealed, immutable run of samples with one Envelope per block of kBlock samples. Shared
/// between the GUI thread and the compute pool without copying.
struct HistoryChunk {
    static constexpr std::size_t kSize = 4096;
    static constexpr std::size_t kBlock = 64;
    std::vector<Sample> samples;
    std::vector<Envelope> blocks;
};

/// @brief What decimation needs of a History: shared sealed chunks plus a copy of the open tail.
struct HistorySnapshot {
    std::vector<std::shared_ptr<const HistoryChunk>> chunks;
    std::vector<Sample> tail;
};

/// @brief A sensor's readings over time, with bounded memory: the oldest chunks go once they are
/// older than the retention or the sample budget is spent. GUI thread only; snapshots are safe to
/// hand to other threads.
class History {
public:
    explicit History(std::chrono::milliseconds retention = std::chrono::hours(1),
                     std::size_t maxSamples = 400000);

    /// Appends a sample; times must not go backwards (an earlier time is clamped to the last).
    void append(qint64 timeMs, double value);
    void appendGap(qint64 timeMs) { append(timeMs, std::numeric_limits<double>::quiet_NaN()); }
    void clear();

    [[nodiscard]] std::size_t size() const { return m_sealedSamples + m_tail.size(); }
    [[nodiscard]] bool isEmpty() const { return size() == 0; }
    [[nodiscard]] qint64 firstTime() const;
    [[nodiscard]] qint64 lastTime() const;
    [[nodiscard]] double lastValue() const;
    [[nodiscard]] std::chrono::milliseconds retention() const { return m_retention; }
    void setRetention(std::chrono::milliseconds retention);

    /// The chunks that overlap [from, to], shared, and the open tail, copied.
    [[nodiscard]] HistorySnapshot snapshot(qint64 from, qint64 to) const;
    /// A plain copy of the samples in [from, to], for export.
    [[nodiscard]] std::vector<Sample> samples(qint64 from, qint64 to) const;

private:
    void seal();
    void trim();

    std::chrono::milliseconds m_retention;
    std::size_t m_maxSamples;
    std::vector<std::shared_ptr<const HistoryChunk>> m_chunks;
    std::size_t m_sealedSamples = 0;
    std::vector<Sample> m_tail;
};

} // namespace vigil::sensors
