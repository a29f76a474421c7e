// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "modbusbatch.h"

#include "async/asyncsemaphore.h"
#include "async/clock.h"
#include "async/notifier.h"
#include "async/taskscope.h"

#include <QCoroTask>
#include <QObject>

#include <deque>
#include <memory>
#include <set>
#include <tuple>

class QModbusReply;
class QModbusTcpClient;

namespace vigil::modbus {

/// @brief One Modbus TCP connection (a device or a gateway), shared by every register sensor
/// that reads it. GUI thread.
///
/// Qt SerialBus 6.4's QModbusTcpClient pipelines every request, resends a timed-out one three
/// times, and never reconnects. This wraps it so that: one transaction is in flight at a time,
/// in FIFO order, through a one-permit AsyncSemaphore; Qt's retries are 0 (the reader's deadline
/// and the poller decide); a lost or refused connection is retried with backoff (0.5 s doubling
/// to 30 s) while reads fail at once with the state ("reconnecting #2 (Connection refused)"),
/// never waiting out a dead device; and the reads asked for in one event-loop turn (a poll cycle)
/// go out as few requests as planBatch() allows. Await stop() before destruction.
class ModbusDevice : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Connected, Reconnecting };
    Q_ENUM(State)

    ModbusDevice(async::Clock &clock, QString host, int port, QObject *parent = nullptr);
    /// Asserts that stop() ran, or that nothing was ever read.
    ~ModbusDevice() override;

    /// The registers (or bits, one per word) of @p span, read within @p timeout (the wait for
    /// a turn included). Throws sensors::SensorError: Timeout, or Unavailable with the
    /// connection's state or the device's exception ("Modbus exception 2 (illegal data
    /// address)"); Cancelled when @p token stops.
    [[nodiscard]] QCoro::Task<QList<quint16>> read(Span span, std::chrono::milliseconds timeout,
                                                   std::stop_token token);
    /// Ends the reads in flight and disconnects. Idempotent.
    [[nodiscard]] QCoro::Task<> stop();

    [[nodiscard]] const QString &host() const { return m_host; }
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] QString hostPort() const;
    [[nodiscard]] State state() const { return m_state; }
    /// "connected", "reconnecting #3 (Connection refused)", …
    [[nodiscard]] QString stateText() const;
    /// Requests sent since the start (for the benchmark and the tests).
    [[nodiscard]] qint64 requestsSent() const { return m_requests; }
    [[nodiscard]] bool inFlight() const { return m_transactions.inUse() > 0; }

    /// The longest wait for a connection before the attempt counts as failed.
    static constexpr std::chrono::seconds kConnectTimeout{5};

Q_SIGNALS:
    void stateChanged();
    /// A line for the event log: connected, lost, reconnected.
    void logMessage(const QString &message);

private:
    struct Pending;
    QCoro::Task<> run(std::stop_token token);
    QCoro::Task<bool> ensureConnected(std::stop_token token);
    QCoro::Task<> transact(std::vector<std::shared_ptr<Pending>> members, Batch batch,
                           std::stop_token token);
    void handleReply(const QModbusReply &reply,
                     const std::vector<std::shared_ptr<Pending>> &members, const Batch &batch);
    void finish(const std::vector<std::shared_ptr<Pending>> &members, const Batch &batch,
                const QList<quint16> &values);
    void fail(const std::vector<std::shared_ptr<Pending>> &members, bool timeout,
              const QString &why);
    /// Drops the reads nobody waits for, and those past their deadline.
    void pruneQueue();
    void onClientState();
    void setState(State state);
    /// One more failure: the next connect waits 0.5 s doubling to 30 s.
    void backOff();

    async::Clock &m_clock;
    QString m_host;
    int m_port;
    QModbusTcpClient *m_client; // a child: deleted with this
    State m_state = State::Idle;
    int m_failures = 0;  // failed connects (and connections dropped unused) since a read worked
    bool m_held = false; // a read went through on this connection
    bool m_outageLogged = false;       // the event log has this outage's line
    async::Clock::TimePoint m_retryAt; // no connect attempt before this
    QString m_lastError;
    bool m_everConnected = false;
    qint64 m_requests = 0;
    std::deque<std::shared_ptr<Pending>> m_queue;
    /// (unit, table, address, count) of spans that made a merged request fail: read alone.
    std::set<std::tuple<int, int, int, int>> m_solo;
    async::Notifier m_queued;        // a read was queued
    async::Notifier m_clientChanged; // the Qt client's state or error changed
    async::AsyncSemaphore m_transactions{1};
    async::TaskScope m_tasks; // run(): the one loop that sends
};

} // namespace vigil::modbus
