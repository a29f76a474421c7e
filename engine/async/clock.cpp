// SPDX-License-Identifier: Apache-2.0
#include "clock.h"

#include "waitqueue.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTimerEvent>

#include <cmath>

namespace vigil::async {

Clock &Clock::system() {
    static QPointer<RealClock> clock;
    if (!clock) {
        Q_ASSERT_X(QCoreApplication::instance(), "Clock::system", "needs a QCoreApplication");
        clock = new RealClock(QCoreApplication::instance());
    }
    return *clock;
}

RealClock::RealClock(QObject *parent)
    : QObject(parent) {}

RealClock::~RealClock() {
    for (auto it = m_byQtId.cbegin(); it != m_byQtId.cend(); ++it)
        killTimer(it.key());
}

Clock::TimePoint RealClock::now() const {
    return std::chrono::time_point_cast<Duration>(std::chrono::steady_clock::now());
}

QDateTime RealClock::wallNow() const {
    return QDateTime::currentDateTimeUtc();
}

Clock::TimerId RealClock::callAt(TimePoint when, std::function<void()> fn) {
    // Round up: Qt timers have millisecond resolution, and firing early would break deadlines.
    const auto delay = std::chrono::ceil<std::chrono::milliseconds>(when - now());
    const int ms = int(std::max<std::chrono::milliseconds::rep>(0, delay.count()));
    const int qtId = startTimer(ms, Qt::PreciseTimer);
    Q_ASSERT(qtId > 0);
    const TimerId id = m_nextId++;
    m_byQtId.insert(qtId, {id, std::move(fn)});
    m_qtIdOf.insert(id, qtId);
    return id;
}

void RealClock::cancel(TimerId id) {
    const auto it = m_qtIdOf.find(id);
    if (it == m_qtIdOf.end())
        return;
    killTimer(*it);
    m_byQtId.remove(*it);
    m_qtIdOf.erase(it);
}

void RealClock::timerEvent(QTimerEvent *event) {
    const int qtId = event->timerId();
    killTimer(qtId);
    const auto it = m_byQtId.find(qtId);
    if (it == m_byQtId.end())
        return;
    Pending pending = std::move(*it);
    m_byQtId.erase(it);
    m_qtIdOf.remove(pending.id);
    if (pending.fn)
        pending.fn();
}

VirtualClock::VirtualClock()
    : m_start(std::chrono::hours(24))
    , m_now(m_start)
    , m_wallStart(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC) {}

QDateTime VirtualClock::wallNow() const {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed());
    return m_wallStart.addMSecs(ms.count());
}

Clock::TimerId VirtualClock::callAt(TimePoint when, std::function<void()> fn) {
    const TimerId id = m_nextId++;
    const TimePoint at = std::max(when, m_now);
    m_timers.emplace(Key{at, id}, std::move(fn));
    m_deadlines.emplace(id, at);
    return id;
}

void VirtualClock::cancel(TimerId id) {
    const auto it = m_deadlines.find(id);
    if (it == m_deadlines.end())
        return;
    m_timers.erase(Key{it->second, id});
    m_deadlines.erase(it);
}

void VirtualClock::settle() {
    detail::drainResumes();
}

bool VirtualClock::runNext() {
    settle();
    if (m_timers.empty())
        return false;
    auto node = m_timers.extract(m_timers.begin());
    m_deadlines.erase(node.key().second);
    m_now = std::max(m_now, node.key().first);
    node.mapped()();
    settle();
    return true;
}

void VirtualClock::advanceTo(TimePoint target) {
    settle();
    while (!m_timers.empty() && m_timers.begin()->first.first <= target)
        runNext();
    m_now = std::max(m_now, target);
    settle();
}

void VirtualClock::advance(Duration delta) {
    advanceTo(m_now + delta);
}

} // namespace vigil::async
