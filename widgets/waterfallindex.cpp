// SPDX-License-Identifier: Apache-2.0
#include "waterfallindex.h"

#include <algorithm>
#include <cmath>

namespace vigil::widgets {

namespace {
WaterfallIndex::Phases phasesOf(const fetch::AttemptPhases &a) {
    const net::ExchangeTiming &x = a.exchange;
    const float connect = std::max(0.0f, x.dnsMs) + std::max(0.0f, x.connectMs);
    return {a.queuedMs, a.limitMs, a.backoffMs, connect, x.sendMs + x.waitMs, x.receiveMs};
}

float sum(const WaterfallIndex::Phases &p) {
    float total = 0;
    for (const float v : p)
        total += v;
    return total;
}

WaterfallIndex::Group merge(const WaterfallIndex::Group &a, const WaterfallIndex::Group &b) {
    WaterfallIndex::Group g;
    g.startMs = std::min(a.startMs, b.startMs);
    g.endMs = std::max(a.endMs, b.endMs);
    for (int p = 0; p < WaterfallIndex::kPhases; ++p)
        g.ms[p] = a.ms[p] + b.ms[p];
    return g;
}
} // namespace

double WaterfallIndex::Row::endMs() const {
    return startMs + double(sum(ms));
}

WaterfallIndex::Phase WaterfallIndex::Group::dominant() const {
    return Phase(std::max_element(ms.begin(), ms.end()) - ms.begin());
}

void WaterfallIndex::clear() {
    m_rows.clear();
    m_levels.clear();
    m_dirty = false;
    m_zeroMs = -1;
    m_endMs = 0;
}

void WaterfallIndex::add(const fetch::ItemResult &result, int item) {
    if (result.timeline.isEmpty())
        return;
    if (m_zeroMs < 0)
        m_zeroMs = result.timelineZeroMs;
    // A later batch (Retry failed items) goes on the same time axis, after the first.
    const double offset = double(result.timelineZeroMs - m_zeroMs);
    for (qsizetype i = 0; i < result.timeline.size(); ++i) {
        Row row{offset + result.timeline.at(i).startMs, phasesOf(result.timeline.at(i)), item,
                int(i)};
        m_endMs = std::max(m_endMs, row.endMs());
        m_rows.push_back(row);
    }
    m_dirty = true;
}

int WaterfallIndex::levelFor(double rowsPerGroup) {
    return std::max(1, int(std::ceil(std::log2(std::max(1.0, rowsPerGroup)))));
}

const WaterfallIndex::Group &WaterfallIndex::group(int level, int i) const {
    return m_levels.at(std::size_t(level - 1)).at(std::size_t(i));
}

int WaterfallIndex::groups(int level) const {
    return level - 1 < int(m_levels.size()) ? int(m_levels[std::size_t(level - 1)].size()) : 0;
}

double WaterfallIndex::endMs() const {
    return m_endMs;
}

void WaterfallIndex::prepare() {
    if (!m_dirty)
        return;
    m_dirty = false;
    // Rows come in completion order, nearly sorted by start already.
    std::stable_sort(m_rows.begin(), m_rows.end(),
                     [](const Row &a, const Row &b) { return a.startMs < b.startMs; });
    m_levels.clear();
    std::vector<Group> below;
    below.reserve(m_rows.size());
    for (const Row &r : m_rows)
        below.push_back({r.startMs, r.endMs(), r.ms});
    while (below.size() > 1) {
        std::vector<Group> level((below.size() + 1) / 2);
        for (std::size_t i = 0; i < level.size(); ++i)
            level[i] =
                2 * i + 1 < below.size() ? merge(below[2 * i], below[2 * i + 1]) : below[2 * i];
        m_levels.push_back(level);
        below = std::move(level);
    }
}

} // namespace vigil::widgets
