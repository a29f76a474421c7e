// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QPointer>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <vector>

class QSocketNotifier;

namespace vigil::demo {

/// @brief Runs callbacks after a delay, to within a few microseconds rather than Qt's whole
/// milliseconds.
///
/// A Qt precise timer rounds every wait up to the next millisecond and fires once per loop pass,
/// so under load a "50 ms" reply leaves the demo server 1–2 ms late, and that is the server's
/// error, not the client's. Here one Linux timerfd, armed at the earliest deadline in nanoseconds,
/// wakes the loop, and every callback that is due runs in that one wake-up. Where timerfd is
/// missing it falls back to Qt's precise timers.
class PreciseScheduler : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void()>;

    explicit PreciseScheduler(QObject *parent = nullptr);
    ~PreciseScheduler() override;

    /// Runs @p callback on this thread once @p delay has passed; never earlier. Dropped if
    /// @p context is destroyed first.
    void callAfter(std::chrono::nanoseconds delay, QObject *context, Callback callback);

    /// Callbacks waiting to run (including those whose context has gone).
    [[nodiscard]] std::size_t pending() const { return m_due.size(); }

    /// How late the most recent callbacks (up to 10,000) ran, in microseconds: the server's own
    /// share of a reply's latency, for benchmarks.
    [[nodiscard]] std::vector<double> recentLatenessUs() const {
        return {m_lateness.begin(), m_lateness.end()};
    }
    void clearLateness() { m_lateness.clear(); }

private:
    struct Entry {
        QPointer<QObject> context;
        Callback callback;
    };
    void runDue();
    void arm();

    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
    std::multimap<qint64, Entry> m_due; // by steady-clock deadline in ns; FIFO among equals
    qint64 m_armedFor = 0;
    std::deque<double> m_lateness;
};

} // namespace vigil::demo
