// SPDX-License-Identifier: Apache-2.0
#include "compute/computepool.h"
#include "compute/sequentialhasher.h"
#include "fetch/downloadrun.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

using vigil::compute::ComputePool;
using vigil::compute::SequentialHasher;

namespace {
QString sha256(const QByteArray &bytes) {
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QByteArray pattern(qsizetype size) {
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 131 + i / 977) & 0xff);
    return bytes;
}

/// What this process has read through read(2) so far (Linux /proc/self/io rchar).
qint64 bytesReadByThisProcess() {
    QFile io(QStringLiteral("/proc/self/io"));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = io.readAll();
    const qsizetype at = text.indexOf("rchar: ");
    return at < 0 ? -1 : text.mid(at + 7, text.indexOf('\n', at) - at - 7).toLongLong();
}

bool behind(const SequentialHasher &hasher, qint64 inRun) {
    return vigil::fetch::hashingBehind(hasher, inRun);
}

QString digestOf(SequentialHasher &hasher) {
    QFuture<QString> result = hasher.finish();
    result.waitForFinished();
    return result.result();
}

/// Occupies every thread of the compute pool until release(), so what a test queues stays queued.
/// The state is shared with the jobs: they may still be waking up when the blocker is gone.
class PoolBlocker {
public:
    PoolBlocker() {
        const int threads = ComputePool::pool().maxThreadCount();
        for (int i = 0; i < threads; ++i) {
            auto job = [state = m_state] {
                std::unique_lock lock(state->mutex);
                ++state->started;
                state->changed.notify_all();
                state->changed.wait(lock, [&state] { return state->released; });
            };
            ComputePool::pool().start(job);
        }
        std::unique_lock lock(m_state->mutex);
        m_state->changed.wait(lock, [this, threads] { return m_state->started == threads; });
    }
    ~PoolBlocker() {
        std::lock_guard lock(m_state->mutex);
        m_state->released = true;
        m_state->changed.notify_all();
    }
    PoolBlocker(const PoolBlocker &) = delete;
    PoolBlocker &operator=(const PoolBlocker &) = delete;

private:
    struct State {
        std::mutex mutex;
        std::condition_variable changed;
        int started = 0;
        bool released = false;
    };
    std::shared_ptr<State> m_state = std::make_shared<State>();
};
} // namespace

class TestSequentialHasher : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void digestIsTheWholeStreamInOrder_data() {
        QTest::addColumn<qsizetype>("size");
        QTest::addColumn<qsizetype>("chunk");
        QTest::addColumn<qsizetype>("prefix");
        QTest::newRow("empty") << qsizetype(0) << qsizetype(1) << qsizetype(0);
        QTest::newRow("one chunk") << qsizetype(5000) << qsizetype(5000) << qsizetype(0);
        QTest::newRow("many uneven chunks")
            << qsizetype(3'000'001) << qsizetype(65'537) << qsizetype(0);
        QTest::newRow("a resume: file prefix, then chunks")
            << qsizetype(3'000'001) << qsizetype(1 << 20) << qsizetype(1'234'567);
        QTest::newRow("a resume with nothing left to fetch")
            << qsizetype(100'000) << qsizetype(1) << qsizetype(100'000);
    }

    void digestIsTheWholeStreamInOrder() {
        QFETCH(qsizetype, size);
        QFETCH(qsizetype, chunk);
        QFETCH(qsizetype, prefix);
        const QByteArray bytes = pattern(size);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("part"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes.left(prefix));
        }
        SequentialHasher hasher;
        if (prefix > 0)
            hasher.addFilePrefix(path, prefix);
        for (qsizetype at = prefix; at < size; at += chunk)
            hasher.add(bytes.mid(at, chunk));
        QCOMPARE(digestOf(hasher), sha256(bytes));
        QCOMPARE(hasher.pending(), qint64(0));
        QCOMPARE(hasher.pendingMemory(), qint64(0));
    }

    void aMissingPrefixGivesNoDigest() {
        SequentialHasher hasher;
        hasher.addFilePrefix(QStringLiteral("/nonexistent/vigil/part"), 10);
        hasher.add(QByteArray("tail"));
        QCOMPARE(digestOf(hasher), QString());
    }

    // A cancelled or paused download drops its hasher: hashing a resumed file's prefix (gigabytes,
    // read back from disk) stops between blocks instead of running on for nobody.
    void droppingTheHasherStopsTheHashingOfAPrefix() {
        const qint64 size = 512LL * 1024 * 1024;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big.part"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly) && f.resize(size)); // sparse: no disk used
        }
        const qint64 before = bytesReadByThisProcess();
        {
            SequentialHasher hasher;
            hasher.addFilePrefix(path, size);
        }
        ComputePool::pool().waitForDone();
        const qint64 read = bytesReadByThisProcess() - before;
        QVERIFY2(read < size / 4, qPrintable(QString::number(read)));
    }

    void aDigestAskedForStillComesWhenTheHasherGoes() {
        const QByteArray bytes = pattern(3'000'000);
        QFuture<QString> result;
        {
            SequentialHasher hasher;
            for (qsizetype at = 0; at < bytes.size(); at += 100'000)
                hasher.add(bytes.mid(at, 100'000));
            result = hasher.finish();
        }
        result.waitForFinished();
        QVERIFY(!result.isCanceled());
        QCOMPARE(result.result(), sha256(bytes));
    }

    // A plain-http download reads into a few reused blocks of 1 MiB. Under load a read can bring
    // a few KiB, so a backlog counted in bytes let every block pile up behind the hash (peak RSS
    // past 50 MB in the 4 x 256 MiB bench), while tiny chunks that pin nothing (a capped
    // transfer's) must not hold the reads: a held download lost the shared budget to the others.
    void theBacklogIsTheMemoryItHolds() {
        constexpr qsizetype kBlock = 1024 * 1024;
        SequentialHasher hasher;
        // 100 bytes each, read into blocks of 1 MiB as the reply's pool hands them out.
        QByteArray first;
        first.reserve(kBlock);
        first.append(100, 'a');
        QByteArray second;
        second.reserve(kBlock);
        second.append(100, 'b');
        QByteArray expected;
        {
            PoolBlocker blocked;
            for (int i = 0; i < 200; ++i)
                hasher.add(QByteArray(1000, char('c' + i % 7)));
            QCOMPARE(hasher.pending(), qint64(200'000));
            QVERIFY2(!behind(hasher, hasher.pendingMemory()),
                     "200 small chunks pin 200 KB: no reason to stop reading");
            for (int i = 0; i < 200; ++i)
                expected += QByteArray(1000, char('c' + i % 7));
            hasher.add(first);
            QVERIFY2(!behind(hasher, hasher.pendingMemory()),
                     "a file alone reads its next block while one waits");
            QVERIFY2(behind(hasher, 4 * kBlock),
                     "with other files' blocks waiting too, one block holds the reads");
            hasher.add(second);
            expected += first + second;
            QCOMPARE(hasher.pending(), qint64(200'200));
            QVERIFY(hasher.pendingMemory() >= 200'000 + 2 * kBlock);
            QVERIFY2(behind(hasher, hasher.pendingMemory()),
                     "two blocks waiting hold the reads, however few bytes they carry");
            QVERIFY2(!first.isDetached(), "the queued chunk is shared, not copied");
        }
        QCOMPARE(digestOf(hasher), sha256(expected));
        QCOMPARE(hasher.pendingMemory(), qint64(0));
        QVERIFY(!behind(hasher, 4 * kBlock));
        QVERIFY2(first.isDetached() && second.isDetached(),
                 "hashed chunks are let go: the reader reuses their blocks");
    }

    // A download run asks on every read how much all its files' hashes hold: one shared counter,
    // not a walk over every file of the list. It counts each hasher's backlog, and goes back to
    // zero when they are hashed, or dropped before their digest was asked for.
    void hashersOfARunShareOneMemoryCount() {
        auto shared = std::make_shared<std::atomic<qint64>>(0);
        auto kept = std::make_unique<SequentialHasher>(shared);
        auto dropped = std::make_unique<SequentialHasher>(shared);
        {
            PoolBlocker blocked;
            kept->add(QByteArray(300'000, 'k'));
            dropped->add(QByteArray(200'000, 'd'));
            QCOMPARE(shared->load(), kept->pendingMemory() + dropped->pendingMemory());
            QVERIFY(shared->load() >= 500'000);
            dropped.reset(); // a cancelled download: its backlog is let go unhashed
        }
        QCOMPARE(digestOf(*kept), sha256(QByteArray(300'000, 'k')));
        ComputePool::pool().waitForDone();
        QCOMPARE(shared->load(), qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestSequentialHasher)
#include "tst_sequentialhasher.moc"
