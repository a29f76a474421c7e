// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

namespace vigil::net {

/// @brief The response bodies that all of one HttpClient's requests hold in memory, against one
/// budget: the per-request cap alone multiplies with concurrency.
///
/// A body's bytes are counted from the moment they are kept until its response leaves the client.
/// GUI thread only, like the client that owns it.
class BodyMemory {
public:
    explicit BodyMemory(qint64 budget)
        : m_budget(budget) {}

    /// Counts @p bytes as held; false, counting nothing, when they would pass the budget.
    [[nodiscard]] bool take(qint64 bytes) {
        if (!fits(bytes))
            return false;
        m_used += bytes;
        return true;
    }
    void release(qint64 bytes) { m_used -= bytes; }
    [[nodiscard]] bool fits(qint64 bytes) const { return m_used + bytes <= m_budget; }

    [[nodiscard]] qint64 used() const { return m_used; }
    [[nodiscard]] qint64 budget() const { return m_budget; }
    void setBudget(qint64 budget) { m_budget = budget; }

private:
    qint64 m_budget;
    qint64 m_used = 0;
};

} // namespace vigil::net
