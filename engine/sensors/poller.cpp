// SPDX-License-Identifier: Apache-2.0
#include "poller.h"

#include "async/deadline.h"
#include "async/sleep.h"
#include "async/taskgroup.h"
#include "async/unlesscancelled.h"
#include "util/logging.h"

namespace vigil::sensors {

using async::Clock;

struct Poller::Slot {
    std::shared_ptr<Sensor> sensor;
    Clock::TimePoint nextDue{};
    bool busy = false;
    bool removed = false;
    async::LinkedStopSource stop;
    async::Notifier idle;
};

struct Poller::Cycle {
    Clock::TimePoint started;
    int remaining = 0;
    int reads = 0;
    double sumLatencyMs = 0;
    double maxLatencyMs = 0;
};

Poller::Poller(async::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock) {}

// m_tasks asserts that stop() ran: the loop's frame points at this poller.
Poller::~Poller() = default;

void Poller::addSensor(std::shared_ptr<Sensor> sensor) {
    auto slot = std::make_shared<Slot>();
    slot->sensor = std::move(sensor);
    // Aligned to the epoch of the clock, so equal intervals share slots and form one cycle.
    const auto interval = std::chrono::duration_cast<Clock::Duration>(slot->sensor->interval());
    const auto now = m_clock.now().time_since_epoch();
    slot->nextDue = Clock::TimePoint((now / interval + 1) * interval);
    m_slots << slot;
    m_changed.notifyAll();
}

QList<std::shared_ptr<Sensor>> Poller::sensors() const {
    QList<std::shared_ptr<Sensor>> out;
    for (const auto &s : m_slots)
        out << s->sensor;
    return out;
}

std::shared_ptr<Sensor> Poller::sensor(const QString &id) const {
    for (const auto &s : m_slots) {
        if (s->sensor->id() == id)
            return s->sensor;
    }
    return nullptr;
}

QCoro::Task<> Poller::removeSensor(QString id) {
    std::shared_ptr<Slot> slot;
    for (qsizetype i = 0; i < m_slots.size(); ++i) {
        if (m_slots[i]->sensor->id() == id) {
            slot = m_slots.takeAt(i);
            break;
        }
    }
    if (!slot)
        co_return;
    slot->removed = true;
    slot->stop.requestStop();
    while (slot->busy)
        co_await slot->idle.wait();
    co_await slot->sensor->close();
}

void Poller::start() {
    if (isRunning())
        return;
    m_tasks.spawn(loop(m_tasks.token()));
}

QCoro::Task<> Poller::stop() {
    m_tasks.cancel();
    co_await m_tasks.join();
    for (const auto &slot : m_slots) {
        auto closing = slot->sensor->close();
        co_await closing;
    }
}

QCoro::Task<> Poller::loop(std::stop_token token) {
    async::TaskGroup<> reads(async::GroupPolicy::CollectAll, token);
    reads.discardResults();
    while (!token.stop_requested()) {
        if (m_slots.isEmpty()) {
            auto changed = m_changed.wait(token);
            if (!co_await async::unlessCancelled(changed))
                break;
            continue;
        }
        auto due = m_slots.first()->nextDue;
        for (const auto &s : m_slots)
            due = std::min(due, s->nextDue);
        auto sleep = async::sleepUntil(m_clock, due, token);
        if (!co_await async::unlessCancelled(sleep))
            break;

        const auto now = m_clock.now();
        const qint64 wallMs = m_clock.wallNow().toMSecsSinceEpoch();
        QList<std::shared_ptr<Slot>> ready;
        for (const auto &s : m_slots) {
            if (s->nextDue > now)
                continue;
            const auto interval =
                std::chrono::duration_cast<Clock::Duration>(s->sensor->interval());
            while (s->nextDue <= now) // slots missed while busy are skipped, not queued
                s->nextDue += interval;
            const bool busy = s->busy || (m_mode == Mode::Sequential && m_chainBusy);
            if (!busy) {
                ready << s;
                continue;
            }
            qCDebug(lcSensors).noquote() << s->sensor->id() << "still busy: slot skipped";
            Q_EMIT slotSkipped(s->sensor->id());
        }
        if (ready.isEmpty())
            continue;
        auto cycle = std::make_shared<Cycle>();
        cycle->started = now;
        cycle->remaining = int(ready.size());
        if (m_mode == Mode::Concurrent) {
            for (const auto &s : ready)
                reads.spawn(readOne(s, cycle, wallMs, reads.token()));
        } else {
            reads.spawn(readChain(ready, cycle, wallMs, reads.token()));
        }
    }
    reads.cancel();
    co_await reads.join();
}

QCoro::Task<std::optional<Reading>> Poller::timedRead(std::shared_ptr<Slot> slot, qint64 wallMs,
                                                      std::stop_token token) {
    Sensor &sensor = *slot->sensor;
    slot->busy = true;
    Reading r;
    r.slotTimeMs = wallMs;
    const auto started = m_clock.now();
    async::LinkedStopSource scope(token);
    std::optional<std::stop_callback<std::function<void()>>> onRemove;
    onRemove.emplace(slot->stop.token(), std::function<void()>([&scope] { scope.requestStop(); }));
    bool cancelled = false;
    auto make = [&sensor](std::stop_token t) { return sensor.read(t); };
    try {
        r.value = co_await async::withTimeout(m_clock, sensor.timeout(), scope.token(), make);
    } catch (const async::TimeoutError &) {
        r.error = ReadingError::Timeout;
        r.message = QStringLiteral("no reading within %1 ms").arg(sensor.timeout().count());
    } catch (const SensorError &e) {
        r.error = e.kind();
        r.message = QString::fromUtf8(e.what());
    } catch (const async::Cancelled &) {
        cancelled = true;
    } catch (const std::exception &e) {
        r.error = ReadingError::Unavailable;
        r.message = QString::fromUtf8(e.what());
    }
    r.latencyMs = async::toMs(m_clock.now() - started);
    // Stamped when the value arrived: a read that took 300 ms is drawn where it was taken, not
    // 300 ms early at its slot.
    r.timeMs = m_clock.wallNow().toMSecsSinceEpoch();
    // The id and the kind: a source's own message may quote a URL with its credentials.
    if (r.error != ReadingError::None)
        qCDebug(lcSensors).noquote()
            << sensor.id() << readingErrorName(r.error) << "after" << r.latencyMs << "ms";
    slot->busy = false;
    slot->idle.notifyAll();
    if (cancelled || slot->removed)
        co_return std::nullopt;
    co_return r;
}

QCoro::Task<> Poller::readOne(std::shared_ptr<Slot> slot, std::shared_ptr<Cycle> cycle,
                              qint64 wallMs, std::stop_token token) {
    auto read = timedRead(slot, wallMs, token);
    const auto r = co_await read;
    if (r)
        Q_EMIT reading(slot->sensor->id(), *r);
    finishRead(*cycle, r.value_or(Reading{}));
}

QCoro::Task<> Poller::readChain(QList<std::shared_ptr<Slot>> slots, std::shared_ptr<Cycle> cycle,
                                qint64 wallMs, std::stop_token token) {
    m_chainBusy = true;
    for (const auto &slot : slots) {
        if (token.stop_requested())
            break;
        auto read = timedRead(slot, wallMs, token);
        const auto r = co_await read;
        if (r)
            Q_EMIT reading(slot->sensor->id(), *r);
        finishRead(*cycle, r.value_or(Reading{}));
    }
    m_chainBusy = false;
}

void Poller::finishRead(Cycle &cycle, const Reading &reading) {
    ++cycle.reads;
    cycle.sumLatencyMs += reading.latencyMs;
    cycle.maxLatencyMs = std::max(cycle.maxLatencyMs, reading.latencyMs);
    if (--cycle.remaining == 0)
        Q_EMIT cycleFinished(async::toMs(m_clock.now() - cycle.started), cycle.sumLatencyMs,
                             cycle.maxLatencyMs, cycle.reads);
}

} // namespace vigil::sensors
