// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "async/clock.h"
#include "async/settle.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTest>

#include <chrono>
#include <functional>
#include <optional>

namespace vigil::test {

/// Drives @p task to its end and returns its Outcome. With a virtual clock, time jumps to the next
/// timer whenever nothing else can run, so sleeps and timeouts cost no real time. A task that has
/// not finished after @p realLimit of wall time aborts the test run: its frame still points at the
/// caller's locals, so carrying on would be unsafe.
template <typename T>
async::Outcome<T> drive(QCoro::Task<T> task, async::VirtualClock *clock = nullptr,
                        std::chrono::milliseconds realLimit = std::chrono::seconds(30)) {
    std::optional<async::Outcome<T>> result;
    std::function<void(async::Outcome<T>)> done = [&result](async::Outcome<T> outcome) {
        result = std::move(outcome);
    };
    auto watcher = async::observe(std::move(task), done);
    QElapsedTimer wall;
    wall.start();
    while (!result) {
        if (clock) {
            clock->settle();
            if (result)
                break;
            if (clock->runNext())
                continue;
        }
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 10);
        if (wall.elapsed() > realLimit.count())
            qFatal("drive: the task did not finish within %lld ms", qint64(realLimit.count()));
    }
    return std::move(*result);
}

/// Runs the real event loop for @p duration.
inline void spin(std::chrono::milliseconds duration) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < duration.count())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
}

/// Counts live instances; a child coroutine holds one so a test can see that no frame is left.
struct LiveCounter {
    explicit LiveCounter(int &count)
        : m_count(count) {
        ++m_count;
    }
    LiveCounter(const LiveCounter &) = delete;
    LiveCounter &operator=(const LiveCounter &) = delete;
    ~LiveCounter() { --m_count; }

private:
    int &m_count;
};

} // namespace vigil::test
