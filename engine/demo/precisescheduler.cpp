// SPDX-License-Identifier: Apache-2.0
#include "precisescheduler.h"

#include <QSocketNotifier>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <sys/timerfd.h>
#include <unistd.h>
#endif

#include <ctime>

namespace vigil::demo {

namespace {
constexpr std::size_t kLatenessKept = 10000;

qint64 steadyNowNs() {
    // CLOCK_MONOTONIC, the clock timerfd measures its absolute deadlines on.
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}
} // namespace

PreciseScheduler::PreciseScheduler(QObject *parent)
    : QObject(parent) {
#ifdef Q_OS_LINUX
    m_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (m_fd >= 0) {
        m_notifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, [this] {
            quint64 expirations = 0;
            [[maybe_unused]] const auto n = ::read(m_fd, &expirations, sizeof expirations);
            m_armedFor = 0;
            runDue();
        });
    }
#endif
}

PreciseScheduler::~PreciseScheduler() {
#ifdef Q_OS_LINUX
    delete m_notifier;
    if (m_fd >= 0)
        ::close(m_fd);
#endif
}

void PreciseScheduler::callAfter(std::chrono::nanoseconds delay, QObject *context,
                                 Callback callback) {
    if (m_fd < 0) {
        const auto ms = std::chrono::ceil<std::chrono::milliseconds>(delay);
        QTimer::singleShot(ms, Qt::PreciseTimer, context, std::move(callback));
        return;
    }
    m_due.emplace(steadyNowNs() + std::max<qint64>(0, delay.count()),
                  Entry{context, std::move(callback)});
    arm();
}

void PreciseScheduler::runDue() {
    // Callbacks may schedule more: take only what is due now, then re-arm once.
    const qint64 now = steadyNowNs();
    while (!m_due.empty() && m_due.begin()->first <= now) {
        const qint64 deadline = m_due.begin()->first;
        Entry entry = std::move(m_due.begin()->second);
        m_due.erase(m_due.begin());
        if (!entry.context)
            continue;
        m_lateness.push_back(double(steadyNowNs() - deadline) / 1000.0);
        if (m_lateness.size() > kLatenessKept)
            m_lateness.pop_front();
        entry.callback();
    }
    arm();
}

void PreciseScheduler::arm() {
#ifdef Q_OS_LINUX
    if (m_due.empty())
        return;
    const qint64 next = m_due.begin()->first;
    if (m_armedFor != 0 && m_armedFor <= next)
        return; // an earlier (or the same) wake-up is already set
    itimerspec spec{};
    // An absolute 0 would disarm the timer; a deadline already past fires at once.
    const qint64 at = std::max<qint64>(next, 1);
    spec.it_value.tv_sec = at / 1'000'000'000;
    spec.it_value.tv_nsec = at % 1'000'000'000;
    timerfd_settime(m_fd, TFD_TIMER_ABSTIME, &spec, nullptr);
    m_armedFor = next;
#endif
}

} // namespace vigil::demo
