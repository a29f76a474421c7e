// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fetch/itemresult.h"

#include <array>
#include <vector>

namespace vigil::widgets {

/// @brief The waterfall's rows, one per attempt (and redirect hop), sorted by start, with
/// precomputed groups of 2, 4, 8, … neighbouring rows, so that painting any zoom level costs
/// the viewport's height, not the row count.
class WaterfallIndex {
public:
    /// The phases a bar is coloured by, in the order they happen.
    enum Phase { Queued, HostWait, Backoff, Connect, Wait, Receive, kPhases };
    using Phases = std::array<float, kPhases>;

    struct Row {
        double startMs = 0; ///< from the first batch's start
        Phases ms{};
        int item = 0;   ///< which add() it came from
        int record = 0; ///< its place in that item's timeline
        [[nodiscard]] double endMs() const;
    };
    /// Rows [first, first + 2^level): the earliest start, the latest end, each phase's total.
    struct Group {
        double startMs = 0;
        double endMs = 0;
        Phases ms{};
        [[nodiscard]] Phase dominant() const;
    };

    void clear();
    /// Adds @p result's timeline as rows, for item number @p item.
    void add(const fetch::ItemResult &result, int item);

    [[nodiscard]] int rows() const { return int(m_rows.size()); }
    /// Puts the rows added since in start order and regroups them: before each paint, so that
    /// between two paints row(i) is the row that was drawn (new rows only follow it).
    void prepare();
    /// Row @p i in the order of the last prepare().
    [[nodiscard]] const Row &row(int i) const { return m_rows.at(std::size_t(i)); }
    /// The smallest level whose groups hold at least @p rowsPerGroup rows.
    [[nodiscard]] static int levelFor(double rowsPerGroup);
    /// Group @p i of @p level (1: pairs of rows, 2: fours, …), @p level at least 1, as the last
    /// prepare() made them.
    [[nodiscard]] const Group &group(int level, int i) const;
    [[nodiscard]] int groups(int level) const;
    /// The time the rows span: [0, endMs()].
    [[nodiscard]] double endMs() const;

private:
    std::vector<Row> m_rows;
    std::vector<std::vector<Group>> m_levels; ///< m_levels[L - 1]: groups of 2^L rows
    bool m_dirty = false;
    qint64 m_zeroMs = -1; ///< the first batch's start on the wall clock
    double m_endMs = 0;
};

} // namespace vigil::widgets
