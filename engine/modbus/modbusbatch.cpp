// SPDX-License-Identifier: Apache-2.0
#include "modbusbatch.h"

#include <algorithm>

namespace vigil::modbus {

int Span::limit() const {
    const bool bits = table == Table::Coil || table == Table::Discrete;
    return bits ? std::min(kMaxBitsPerRead, maxPerRequest * 16) : maxPerRequest;
}

Batch planBatch(const std::vector<Span> &wanted, std::size_t first,
                const std::vector<bool> *taken) {
    const Span &head = wanted[first];
    Batch batch{head.unitId, head.table, head.address, head.count, {first}};
    if (head.solo)
        return batch;
    std::vector<std::size_t> before, after; // members left and right of the head
    std::vector<std::size_t> same;          // the same device table's mergeable spans, by address
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        const Span &s = wanted[i];
        if (!s.solo && s.unitId == head.unitId && s.table == head.table && (!taken || !(*taken)[i]))
            same.push_back(i);
    }
    std::stable_sort(same.begin(), same.end(), [&wanted](std::size_t a, std::size_t b) {
        return wanted[a].address < wanted[b].address;
    });
    const auto at = std::find(same.begin(), same.end(), first) - same.begin();
    int lo = head.address;
    int hi = head.end();
    int limit = head.limit();
    // Rightwards: spans that start inside or right after the range (sorted, so they are next).
    for (std::size_t j = std::size_t(at) + 1; j < same.size(); ++j) {
        const Span &s = wanted[same[j]];
        const int newLimit = std::min(limit, s.limit());
        if (s.address > hi)
            break; // a gap: every later span starts further on
        if (std::max(hi, s.end()) - lo > newLimit)
            continue; // too wide to join; a shorter one after it may fit
        hi = std::max(hi, s.end());
        limit = newLimit;
        after.push_back(same[j]);
    }
    // Leftwards: spans that start before it and reach it; a long one further left may reach it
    // past a short one that does not, so every one is looked at.
    for (std::ptrdiff_t j = at - 1; j >= 0; --j) {
        const Span &s = wanted[same[std::size_t(j)]];
        const int newLimit = std::min(limit, s.limit());
        if (s.end() < lo || std::max(hi, s.end()) - s.address > newLimit)
            continue;
        lo = s.address;
        hi = std::max(hi, s.end());
        limit = newLimit;
        before.push_back(same[std::size_t(j)]);
    }
    batch.members.assign(before.rbegin(), before.rend());
    batch.members.push_back(first);
    batch.members.insert(batch.members.end(), after.begin(), after.end());
    // Spans passed over that the range now covers whole come along at no cost.
    std::vector<bool> in(wanted.size(), false);
    for (const std::size_t m : batch.members)
        in[m] = true;
    for (const std::size_t i : same) {
        const Span &s = wanted[i];
        if (!in[i] && s.address >= lo && s.end() <= hi && hi - lo <= s.limit())
            batch.members.push_back(i);
    }
    batch.address = lo;
    batch.count = hi - lo;
    return batch;
}

std::vector<Batch> planAll(const std::vector<Span> &wanted) {
    std::vector<Batch> out;
    std::vector<bool> taken(wanted.size(), false);
    for (std::size_t first = 0; first < wanted.size(); ++first) {
        if (taken[first])
            continue;
        Batch b = planBatch(wanted, first, &taken);
        for (const std::size_t m : b.members)
            taken[m] = true;
        out.push_back(std::move(b));
    }
    return out;
}

} // namespace vigil::modbus
