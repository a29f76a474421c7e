// SPDX-License-Identifier: Apache-2.0
#include "history.h"

#include <algorithm>

namespace vigil::sensors {

void Envelope::add(const Sample &s) {
    if (std::isnan(s.v)) {
        hasGap = true;
        tGap = s.t;
        return;
    }
    if (!hasValue) {
        tFirst = s.t;
        first = s.v;
        hasValue = true;
    }
    tLast = s.t;
    last = s.v;
    if (s.v < min) {
        min = s.v;
        tMin = s.t;
    }
    if (s.v > max) {
        max = s.v;
        tMax = s.t;
    }
}

void Envelope::merge(const Envelope &e) {
    if (e.hasGap)
        tGap = std::max(tGap, e.tGap);
    hasGap = hasGap || e.hasGap;
    if (!e.hasValue)
        return;
    if (!hasValue) {
        const qint64 gapTime = tGap;
        const bool gap = hasGap;
        *this = e;
        tGap = std::max(gapTime, e.tGap);
        hasGap = gap || e.hasGap;
        return;
    }
    tLast = e.tLast;
    last = e.last;
    if (e.min < min) {
        min = e.min;
        tMin = e.tMin;
    }
    if (e.max > max) {
        max = e.max;
        tMax = e.tMax;
    }
}

History::History(std::chrono::milliseconds retention, std::size_t maxSamples)
    : m_retention(retention)
    , m_maxSamples(std::max<std::size_t>(maxSamples, 2 * HistoryChunk::kSize)) {
    m_tail.reserve(HistoryChunk::kSize);
}

void History::append(qint64 timeMs, double value) {
    const qint64 t = isEmpty() ? timeMs : std::max(timeMs, lastTime());
    m_tail.push_back({t, value});
    if (m_tail.size() == HistoryChunk::kSize)
        seal();
}

void History::seal() {
    auto chunk = std::make_shared<HistoryChunk>();
    chunk->samples = std::move(m_tail);
    m_tail = {};
    m_tail.reserve(HistoryChunk::kSize);
    for (std::size_t i = 0; i < chunk->samples.size(); i += HistoryChunk::kBlock) {
        Envelope e;
        const std::size_t end = std::min(i + HistoryChunk::kBlock, chunk->samples.size());
        for (std::size_t j = i; j < end; ++j)
            e.add(chunk->samples[j]);
        chunk->blocks.push_back(e);
    }
    m_sealedSamples += chunk->samples.size();
    m_chunks.push_back(std::move(chunk));
    trim();
}

void History::trim() {
    const qint64 newest = lastTime();
    while (!m_chunks.empty()) {
        const auto &oldest = m_chunks.front();
        const bool tooOld = newest - oldest->samples.back().t > m_retention.count();
        const bool tooMany = size() > m_maxSamples;
        if (!tooOld && !tooMany)
            break;
        m_sealedSamples -= oldest->samples.size();
        m_chunks.erase(m_chunks.begin());
    }
}

void History::clear() {
    m_chunks.clear();
    m_sealedSamples = 0;
    m_tail.clear();
}

void History::setRetention(std::chrono::milliseconds retention) {
    m_retention = retention;
    trim();
}

qint64 History::firstTime() const {
    if (!m_chunks.empty())
        return m_chunks.front()->samples.front().t;
    return m_tail.empty() ? 0 : m_tail.front().t;
}

qint64 History::lastTime() const {
    if (!m_tail.empty())
        return m_tail.back().t;
    return m_chunks.empty() ? 0 : m_chunks.back()->samples.back().t;
}

double History::lastValue() const {
    if (!m_tail.empty())
        return m_tail.back().v;
    return m_chunks.empty() ? std::numeric_limits<double>::quiet_NaN()
                            : m_chunks.back()->samples.back().v;
}

HistorySnapshot History::snapshot(qint64 from, qint64 to) const {
    HistorySnapshot s;
    for (const auto &chunk : m_chunks) {
        if (chunk->samples.back().t >= from && chunk->samples.front().t <= to)
            s.chunks.push_back(chunk);
    }
    for (const auto &sample : m_tail) {
        if (sample.t >= from && sample.t <= to)
            s.tail.push_back(sample);
    }
    return s;
}

std::vector<Sample> History::samples(qint64 from, qint64 to) const {
    std::vector<Sample> out;
    const auto take = [&](const std::vector<Sample> &run) {
        for (const auto &s : run) {
            if (s.t >= from && s.t <= to)
                out.push_back(s);
        }
    };
    for (const auto &chunk : m_chunks)
        take(chunk->samples);
    take(m_tail);
    return out;
}

} // namespace vigil::sensors
