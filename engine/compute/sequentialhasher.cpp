// SPDX-License-Identifier: Apache-2.0
#include "sequentialhasher.h"

#include "computepool.h"
#include "sha256.h"

#include <QFile>
#include <QPromise>

#include <deque>
#include <mutex>
#include <variant>

namespace vigil::compute {

namespace {
struct FilePrefix {
    QString path;
    qint64 length;
};
struct Finish {};
/// What a chunk keeps allocated: a few bytes read into a reused 1 MiB block hold the whole block.
qint64 memoryOf(const QByteArray &chunk) {
    return std::max<qint64>(chunk.size(), chunk.capacity());
}
using Work = std::variant<QByteArray, FilePrefix, Finish>;
} // namespace

struct SequentialHasher::Pipe : std::enable_shared_from_this<SequentialHasher::Pipe> {
    std::mutex mutex;
    std::deque<Work> queue;
    bool draining = false;
    bool failed = false;
    std::atomic<qint64> pending{0};
    std::atomic<qint64> pendingMemory{0};
    std::shared_ptr<std::atomic<qint64>> sharedMemory; ///< may be null
    /// The owner went before asking for the digest (a cancelled or paused download): what is
    /// left is of no use to anyone, and a resumed file's prefix can be gigabytes.
    std::atomic<bool> abandoned{false};
    Sha256 hash;
    QPromise<QString> done;

    void push(Work work, qint64 bytes, qint64 memory) {
        pending += bytes;
        hold(memory);
        bool start = false;
        {
            std::lock_guard lock(mutex);
            queue.push_back(std::move(work));
            start = !std::exchange(draining, true);
        }
        if (start) {
            auto job = [self = shared_from_this()] { self->drain(); };
            ComputePool::pool().start(job);
        }
    }

    void hold(qint64 memory) {
        pendingMemory += memory;
        if (sharedMemory)
            *sharedMemory += memory;
    }

    // On the pool; only one drain runs at a time, so the hash sees the stream in order.
    void drain() {
        while (true) {
            Work work;
            {
                std::lock_guard lock(mutex);
                if (queue.empty()) {
                    draining = false;
                    return;
                }
                work = std::move(queue.front());
                queue.pop_front();
            }
            if (auto *chunk = std::get_if<QByteArray>(&work)) {
                if (!abandoned.load())
                    hash.addData(*chunk);
                const qint64 hashed = chunk->size();
                const qint64 held = memoryOf(*chunk);
                // Let go of the block before saying so: a producer that sees the backlog shrink
                // then finds it free to reuse, instead of allocating (and faulting in) a new one.
                *chunk = QByteArray();
                pending -= hashed;
                hold(-held);
            } else if (const auto *prefix = std::get_if<FilePrefix>(&work)) {
                hashFile(*prefix);
            } else {
                done.addResult(failed ? QString() : QString::fromLatin1(hash.hexResult()));
                done.finish();
            }
        }
    }

    void hashFile(const FilePrefix &prefix) {
        QFile f(prefix.path);
        if (!f.open(QIODevice::ReadOnly)) {
            failed = true;
            return;
        }
        QByteArray block(1024 * 1024, Qt::Uninitialized);
        for (qint64 left = prefix.length; left > 0;) {
            if (abandoned.load())
                return;
            const qint64 n = f.read(block.data(), std::min<qint64>(block.size(), left));
            if (n <= 0) {
                failed = true;
                return;
            }
            hash.addData(QByteArrayView(block.constData(), n));
            left -= n;
        }
    }
};

SequentialHasher::SequentialHasher(std::shared_ptr<std::atomic<qint64>> sharedMemory)
    : m_pipe(std::make_shared<Pipe>()) {
    m_pipe->sharedMemory = std::move(sharedMemory);
    m_pipe->done.start();
}

SequentialHasher::~SequentialHasher() {
    if (!m_finishing)
        m_pipe->abandoned = true;
}

void SequentialHasher::add(const QByteArray &chunk) {
    m_pipe->push(chunk, chunk.size(), memoryOf(chunk));
}

void SequentialHasher::addFilePrefix(const QString &path, qint64 length) {
    m_pipe->push(FilePrefix{path, length}, 0, 0);
}

QFuture<QString> SequentialHasher::finish() {
    m_finishing = true;
    QFuture<QString> future = m_pipe->done.future();
    m_pipe->push(Finish{}, 0, 0);
    return future;
}

qint64 SequentialHasher::pending() const {
    return m_pipe->pending.load();
}

qint64 SequentialHasher::pendingMemory() const {
    return m_pipe->pendingMemory.load();
}

} // namespace vigil::compute
