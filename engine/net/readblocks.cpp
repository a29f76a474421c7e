// SPDX-License-Identifier: Apache-2.0
#include "readblocks.h"

#include <QIODevice>

#include <algorithm>

namespace vigil::net {

namespace {
// A verified download's hash holds a block or two (fetch::kMaxPendingHashMemory), the reader's
// buffer one, and a socket read the next: with four, and a hash backlog of 4 MiB, half the reads
// of the 4 x 256 MiB bench went to fresh blocks (100K page faults per GiB).
constexpr std::size_t kMaxBlocks = 6;
} // namespace

qint64 ReadBlocks::read(QIODevice &device, qint64 n, QByteArray &data) {
    QByteArray *block = nullptr;
    for (QByteArray &b : m_blocks) {
        if (b.isDetached()) { // every receiver let go of it
            block = &b;
            break;
        }
    }
    if (!block && m_blocks.size() >= kMaxBlocks)
        return readFresh(device, n, data); // all still held (hashing behind, say)
    if (!block) {
        block = &m_blocks.emplace_back();
        block->reserve(kBlockBytes);
    }
    block->resize(n); // within its capacity: neither allocated nor copied
    const qint64 got = device.read(block->data(), n);
    block->resize(std::max<qint64>(got, 0));
    data = *block; // shared: the pool has it back once every receiver lets go
    return got;
}

qint64 ReadBlocks::readFresh(QIODevice &device, qint64 n, QByteArray &data) {
    data.resize(n);
    const qint64 got = device.read(data.data(), n);
    data.resize(std::max<qint64>(got, 0));
    return got;
}

} // namespace vigil::net
