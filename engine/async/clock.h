// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QHash>
#include <QObject>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>

namespace vigil::async {

/// @brief The source of time and timers for every wait in Vigil, so time logic can run virtually.
class Clock {
public:
    using Duration = std::chrono::nanoseconds;
    using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;
    using TimerId = std::uint64_t;

    Clock() = default;
    Clock(const Clock &) = delete;
    Clock &operator=(const Clock &) = delete;
    virtual ~Clock() = default;

    [[nodiscard]] virtual TimePoint now() const = 0;
    /// Wall-clock time in UTC, for timestamps and HTTP dates.
    [[nodiscard]] virtual QDateTime wallNow() const = 0;
    /// Calls @p fn once at @p when (or soon after). The id is never 0.
    virtual TimerId callAt(TimePoint when, std::function<void()> fn) = 0;
    /// Cancels a timer; unknown or fired ids are ignored.
    virtual void cancel(TimerId id) = 0;
    [[nodiscard]] virtual std::size_t pendingTimers() const = 0;

    TimerId callAfter(Duration delay, std::function<void()> fn) {
        return callAt(now() + delay, std::move(fn));
    }

    /// The process-wide real clock, owned by the QCoreApplication (GUI thread).
    static Clock &system();
};

/// @brief Real time on Qt precise timers. Lives on the thread that created it.
class RealClock final : public QObject, public Clock {
    Q_OBJECT
public:
    explicit RealClock(QObject *parent = nullptr);
    ~RealClock() override;

    [[nodiscard]] TimePoint now() const override;
    [[nodiscard]] QDateTime wallNow() const override;
    TimerId callAt(TimePoint when, std::function<void()> fn) override;
    void cancel(TimerId id) override;
    [[nodiscard]] std::size_t pendingTimers() const override {
        return std::size_t(m_byQtId.size());
    }

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Pending {
        TimerId id;
        std::function<void()> fn;
    };
    // Qt reuses a timer id once the timer has fired, so ids handed out are our own and never
    // reused: a late cancel of a fired timer is then a no-op instead of killing a stranger.
    QHash<int, Pending> m_byQtId;
    QHash<TimerId, int> m_qtIdOf;
    TimerId m_nextId = 1;
};

/// @brief Time that moves only when a test says so; timers fire in deadline order.
///
/// Between timers it runs every posted coroutine resumption, so a whole async scenario (timeouts,
/// backoff, rate limits) plays out in microseconds and the same way on every run.
class VirtualClock final : public Clock {
public:
    VirtualClock();
    ~VirtualClock() override = default;

    [[nodiscard]] TimePoint now() const override { return m_now; }
    [[nodiscard]] QDateTime wallNow() const override;
    TimerId callAt(TimePoint when, std::function<void()> fn) override;
    void cancel(TimerId id) override;
    [[nodiscard]] std::size_t pendingTimers() const override { return m_timers.size(); }

    /// Moves time forward by @p delta, firing every timer due on the way.
    void advance(Duration delta);
    void advanceTo(TimePoint target);
    /// Jumps to the earliest timer and fires it; false when no timer is pending.
    bool runNext();
    /// Runs posted resumptions until none is left, without moving time.
    void settle();

    /// Time passed since the clock was created.
    [[nodiscard]] Duration elapsed() const { return m_now - m_start; }

private:
    using Key = std::pair<TimePoint, TimerId>;
    TimePoint m_start;
    TimePoint m_now;
    QDateTime m_wallStart;
    TimerId m_nextId = 1;
    std::map<Key, std::function<void()>> m_timers;
    std::unordered_map<TimerId, TimePoint> m_deadlines;
};

/// Milliseconds as a double, for display and statistics.
[[nodiscard]] inline double toMs(Clock::Duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

} // namespace vigil::async
