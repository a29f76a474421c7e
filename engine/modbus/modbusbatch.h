// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "modbusspec.h"

#include <QList>

#include <vector>

namespace vigil::modbus {

/// @brief A span of one device's table that a sensor wants read.
struct Span {
    int unitId = 1;
    Table table = Table::Holding;
    int address = 0;
    int count = 1;
    int maxPerRequest = kMaxRegistersPerRead; ///< in registers; bits get 16x, up to 2,000
    /// Never merged with others: it once made a merged request fail with an exception.
    bool solo = false;

    [[nodiscard]] int end() const { return address + count; }
    /// The widest request this span may be part of, in registers or bits.
    [[nodiscard]] int limit() const;
};

/// @brief One request: a range of a table, and which of the wanted spans it answers.
struct Batch {
    int unitId = 1;
    Table table = Table::Holding;
    int address = 0;
    int count = 0;
    std::vector<std::size_t> members; ///< indices into the wanted spans
};

/// The request that answers @p wanted[@p first] together with every other span of the same
/// device table that touches or overlaps it, as far as the narrowest member's limit allows.
/// Gaps are never bridged: the registers between two sensors may not exist on the device.
/// Spans marked in @p taken are already answered by another request.
[[nodiscard]] Batch planBatch(const std::vector<Span> &wanted, std::size_t first,
                              const std::vector<bool> *taken = nullptr);

/// Every request one cycle of @p wanted takes, oldest span first: what the device sends.
[[nodiscard]] std::vector<Batch> planAll(const std::vector<Span> &wanted);

} // namespace vigil::modbus
