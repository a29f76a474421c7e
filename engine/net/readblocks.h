// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>

#include <vector>

class QIODevice;

namespace vigil::net {

/// @brief The few blocks a bounded reader (a download) reads into, reused once no receiver holds
/// them any more: allocating each read afresh costs a page fault per 4 KiB, more than the read.
///
/// Only blocks in use at once are ever allocated. A receiver that keeps a block (a hasher that is
/// behind) keeps it whole: the next read takes another block, never writes over a held one.
class ReadBlocks {
public:
    /// Reads of this size and up go to a pooled block; smaller ones are not worth one.
    static constexpr qint64 kMinRead = 64 * 1024;
    static constexpr qint64 kBlockBytes = 1024 * 1024;

    [[nodiscard]] static bool fits(qint64 n) { return n >= kMinRead && n <= kBlockBytes; }

    /// Reads at most @p n bytes (fits(n)) from @p device into a free block, or a new array once
    /// every block is held; @p data shares the block. Gives what read() gave: -1 on a close or
    /// an error.
    qint64 read(QIODevice &device, qint64 n, QByteArray &data);
    /// The same into a new array of @p n bytes.
    static qint64 readFresh(QIODevice &device, qint64 n, QByteArray &data);

private:
    std::vector<QByteArray> m_blocks;
};

} // namespace vigil::net
