// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QFuture>
#include <QString>

#include <atomic>
#include <memory>

namespace vigil::compute {

/// @brief SHA-256 of a stream, computed on the compute pool while the stream arrives.
///
/// add() (the downloading thread) queues a chunk; one pool job at a time drains the queue in order
/// and frees each chunk once hashed, so memory is bounded by what is pending. pending() lets the
/// producer hold back when hashing falls behind. finish() yields the digest as a future.
class SequentialHasher {
public:
    /// @p sharedMemory, when given, also counts this hasher's pendingMemory(), with that of the
    /// other hashers given it: one load says what a whole download run holds.
    explicit SequentialHasher(std::shared_ptr<std::atomic<qint64>> sharedMemory = {});
    /// Before finish(), this stops the hashing (between chunks, or between blocks of a file
    /// prefix): nobody is left to want the digest. After finish(), the digest still comes.
    ~SequentialHasher();
    SequentialHasher(const SequentialHasher &) = delete;
    SequentialHasher &operator=(const SequentialHasher &) = delete;

    void add(const QByteArray &chunk);
    /// Hashes the first @p length bytes of a file (what a resumed download already has).
    void addFilePrefix(const QString &path, qint64 length);
    /// Ends the stream; the future gives the lowercase hex digest (empty if a file could not be
    /// read).
    [[nodiscard]] QFuture<QString> finish();
    /// Bytes queued but not hashed yet.
    [[nodiscard]] qint64 pending() const;
    /// Memory that queued chunks keep allocated, at least pending(). A producer that reads into
    /// a few reused blocks bounds its memory by this, since a short read holds a whole block.
    [[nodiscard]] qint64 pendingMemory() const;

private:
    struct Pipe;
    std::shared_ptr<Pipe> m_pipe;
    bool m_finishing = false;
};

} // namespace vigil::compute
