// SPDX-License-Identifier: Apache-2.0
#include "modbusdevice.h"

#include "async/deadline.h"
#include "async/retrypolicy.h"
#include "async/waitqueue.h"
#include "sensors/sensor.h"
#include "util/logging.h"

#include <QAbstractSocket>
#include <QModbusTcpClient>
#include <QPointer>

#include <algorithm>

namespace vigil::modbus {

using namespace std::chrono_literals;
using sensors::ReadingError;
using sensors::SensorError;

struct ModbusDevice::Pending {
    Span span;
    async::Deadline deadline;
    QList<quint16> values;
    QString error;
    bool timedOut = false;
    bool done = false;
    bool abandoned = false; // its reader stopped waiting
    async::Notifier finished;
};

namespace {
/// Resumes the awaiting coroutine on the next turn of the event loop: the reads a poll cycle
/// starts together are all queued by then, and go out batched.
struct NextTurn {
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle) { async::detail::resumeSoon(handle); }
    void await_resume() const noexcept {}
};

QModbusDataUnit::RegisterType registerType(Table table) {
    switch (table) {
    case Table::Holding:
        return QModbusDataUnit::HoldingRegisters;
    case Table::Input:
        return QModbusDataUnit::InputRegisters;
    case Table::Coil:
        return QModbusDataUnit::Coils;
    case Table::Discrete:
        return QModbusDataUnit::DiscreteInputs;
    }
    return QModbusDataUnit::HoldingRegisters;
}

/// The longest any of @p pending may still wait: how long the next step may take.
template <typename Range>
std::chrono::milliseconds longestWait(const async::Clock &clock, const Range &pending) {
    async::Clock::Duration longest{0};
    for (const auto &p : pending)
        longest = std::max(longest, p->deadline.remaining(clock));
    return std::chrono::ceil<std::chrono::milliseconds>(longest);
}

/// Qt's "TCP socket error (Connection refused)." without the full stop: it is shown inside
/// parentheses, "reconnecting #1 (…)".
QString plainError(QString text) {
    while (text.endsWith(u'.'))
        text.chop(1);
    return text;
}

std::tuple<int, int, int, int> soloKey(const Span &s) {
    return {s.unitId, int(s.table), s.address, s.count};
}
} // namespace

ModbusDevice::ModbusDevice(async::Clock &clock, QString host, int port, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_host(std::move(host))
    , m_port(port)
    , m_client(new QModbusTcpClient(this)) {
    // Vigil's deadline and poller decide about retries; Qt's would hold the device 4 s per
    // dead read, three resends at 1 s each.
    m_client->setNumberOfRetries(0);
    m_client->setConnectionParameter(QModbusDevice::NetworkAddressParameter, m_host);
    m_client->setConnectionParameter(QModbusDevice::NetworkPortParameter, m_port);
    connect(m_client, &QModbusDevice::stateChanged, this, &ModbusDevice::onClientState);
    connect(m_client, &QModbusDevice::errorOccurred, this, [this](QModbusDevice::Error e) {
        if (e == QModbusDevice::ConnectionError)
            m_lastError = plainError(m_client->errorString());
        m_clientChanged.notifyAll();
    });
}

ModbusDevice::~ModbusDevice() {
    Q_ASSERT_X(m_tasks.running() == 0, "~ModbusDevice", "await stop() first");
}

QString ModbusDevice::hostPort() const {
    return m_host + u':' + QString::number(m_port);
}

QString ModbusDevice::stateText() const {
    switch (m_state) {
    case State::Idle:
        return tr("idle");
    case State::Connecting:
        return tr("connecting");
    case State::Connected:
        return tr("connected");
    case State::Reconnecting: {
        const QString attempt =
            m_failures > 0 ? tr("reconnecting #%1").arg(m_failures) : tr("reconnecting");
        return m_lastError.isEmpty() ? attempt
                                     : attempt + QStringLiteral(" (") + m_lastError + u')';
    }
    }
    return {};
}

QCoro::Task<QList<quint16>> ModbusDevice::read(Span span, std::chrono::milliseconds timeout,
                                               std::stop_token token) {
    async::throwIfCancelled(token);
    if (m_tasks.isClosed())
        throw SensorError(ReadingError::Unavailable, tr("the device was closed"));
    span.solo = m_solo.count(soloKey(span)) > 0;
    auto pending = std::make_shared<Pending>();
    pending->span = span;
    pending->deadline = async::Deadline::after(m_clock, timeout);
    m_queue.push_back(pending);
    if (m_tasks.running() == 0)
        m_tasks.spawn(run(m_tasks.token()));
    m_queued.notifyAll();
    try {
        while (!pending->done)
            co_await pending->finished.wait(token);
    } catch (const async::Cancelled &) {
        pending->abandoned = true; // pruned before planning, or its answer dropped
        throw;
    }
    if (!pending->error.isEmpty())
        throw SensorError(pending->timedOut ? ReadingError::Timeout : ReadingError::Unavailable,
                          pending->error);
    co_return pending->values;
}

QCoro::Task<> ModbusDevice::stop() {
    auto closing = m_tasks.close();
    co_await closing;
    fail({m_queue.begin(), m_queue.end()}, false, tr("the device was closed"));
    m_queue.clear();
    m_state = State::Idle; // so that the disconnect below is not logged as a lost connection
    if (m_client->state() != QModbusDevice::UnconnectedState)
        m_client->disconnectDevice();
}

void ModbusDevice::pruneQueue() {
    std::vector<std::shared_ptr<Pending>> expired;
    std::erase_if(m_queue, [this, &expired](const std::shared_ptr<Pending> &p) {
        if (p->abandoned || p->done)
            return true;
        if (!p->deadline.expired(m_clock))
            return false;
        expired.push_back(p); // its reader may have no deadline of its own: it gets an answer
        return true;
    });
    fail(expired, true, tr("no turn on the device before the deadline"));
}

QCoro::Task<> ModbusDevice::run(std::stop_token token) {
    while (true) {
        while (m_queue.empty())
            co_await m_queued.wait(token);
        co_await NextTurn{};
        async::throwIfCancelled(token);
        pruneQueue();
        if (m_queue.empty())
            continue;
        const bool connected = co_await ensureConnected(token);
        if (!connected) {
            fail({m_queue.begin(), m_queue.end()}, false, stateText());
            m_queue.clear();
            continue;
        }
        pruneQueue(); // the connect may have taken a while
        if (m_queue.empty())
            continue;
        std::vector<Span> spans;
        spans.reserve(m_queue.size());
        for (const auto &p : m_queue)
            spans.push_back(p->span);
        Batch batch = planBatch(spans, 0);
        std::vector<std::shared_ptr<Pending>> members;
        for (const std::size_t i : batch.members)
            members.push_back(m_queue[i]);
        std::erase_if(m_queue, [&members](const std::shared_ptr<Pending> &p) {
            return std::find(members.begin(), members.end(), p) != members.end();
        });
        auto permit = co_await m_transactions.acquire(token);
        auto sending = transact(std::move(members), std::move(batch), token);
        co_await sending;
    }
}

QCoro::Task<bool> ModbusDevice::ensureConnected(std::stop_token token) {
    if (m_client->state() == QModbusDevice::ConnectedState)
        co_return true;
    if (m_failures > 0 && m_clock.now() < m_retryAt)
        co_return false; // backing off: fail at once with the state, do not wait out a dead device
    setState(m_everConnected || m_failures > 0 ? State::Reconnecting : State::Connecting);
    m_lastError.clear();
    if (m_client->state() == QModbusDevice::UnconnectedState)
        m_client->connectDevice();
    // The whole connect timeout, whatever the readers' deadlines: they fail at their own, and a
    // handshake slower than a sensor's timeout still gets its connection.
    const async::Clock::Duration wait = kConnectTimeout;
    bool timedOut = false;
    async::detail::ScopedTimer timer(m_clock, m_clock.callAt(m_clock.now() + wait, [&] {
        timedOut = true;
        m_clientChanged.notifyAll();
    }));
    while (m_client->state() != QModbusDevice::ConnectedState &&
           m_client->state() != QModbusDevice::UnconnectedState && !timedOut)
        co_await m_clientChanged.wait(token);
    if (m_client->state() == QModbusDevice::ConnectedState)
        co_return true;
    if (timedOut) {
        m_lastError = tr("no connection within %1 ms")
                          .arg(std::chrono::duration_cast<std::chrono::milliseconds>(wait).count());
        // disconnectDevice() on a socket still connecting would leave it closing for Qt's 30 s.
        if (auto *socket = qobject_cast<QAbstractSocket *>(m_client->device()))
            socket->abort();
        m_client->disconnectDevice();
    } else if (m_lastError.isEmpty()) {
        m_lastError = plainError(m_client->errorString());
    }
    backOff();
    setState(State::Reconnecting);
    qCInfo(lcModbus).noquote() << hostPort() << "connect attempt" << m_failures
                               << "failed:" << m_lastError;
    if (!std::exchange(m_outageLogged, true)) // one line per outage, not one per attempt
        Q_EMIT logMessage(
            tr("Modbus %1: cannot connect (%2); retrying").arg(hostPort(), m_lastError));
    co_return false;
}

void ModbusDevice::backOff() {
    ++m_failures;
    async::RetryPolicy backoff;
    backoff.baseDelay = 500ms;
    backoff.maxDelay = 30s;
    m_retryAt = m_clock.now() + backoff.backoffCap(m_failures);
}

QCoro::Task<> ModbusDevice::transact(std::vector<std::shared_ptr<Pending>> members, Batch batch,
                                     std::stop_token token) {
    const auto wait = std::max<std::chrono::milliseconds>(longestWait(m_clock, members), 10ms);
    m_client->setTimeout(int(wait.count()));
    const QModbusDataUnit unit(registerType(batch.table), batch.address, quint16(batch.count));
    QPointer<QModbusReply> reply = m_client->sendReadRequest(unit, batch.unitId);
    ++m_requests;
    if (!reply) {
        fail(members, false, m_client->errorString());
        co_return;
    }
    async::Notifier replied;
    const auto connection =
        connect(reply, &QModbusReply::finished, this, [&replied] { replied.notifyAll(); });
    try {
        while (reply && !reply->isFinished())
            co_await replied.wait(token);
    } catch (const async::Cancelled &) {
        disconnect(connection);
        if (reply)
            reply->deleteLater();
        fail(members, false, tr("the device was closed"));
        throw;
    }
    disconnect(connection);
    if (!reply) {
        fail(members, false, tr("the request was dropped"));
        co_return;
    }
    reply->deleteLater();
    handleReply(*reply, members, batch);
}

} // namespace vigil::modbus

namespace vigil::modbus {

void ModbusDevice::handleReply(const QModbusReply &reply,
                               const std::vector<std::shared_ptr<Pending>> &members,
                               const Batch &batch) {
    switch (reply.error()) {
    case QModbusDevice::NoError:
        finish(members, batch, reply.result().values());
        return;
    case QModbusDevice::ProtocolError: {
        // An exception response's data is its one-byte code. Not exceptionCode(): Qt 6.4's
        // inline isException() loads the function code with the exception bit set as the
        // FunctionCode enum, which UBSan rightly calls undefined.
        const QByteArray data = reply.rawResult().data();
        if (data.size() != 1) {
            fail(members, false, reply.errorString());
            return;
        }
        const int code = quint8(data.at(0));
        if (members.size() > 1 && (code == 2 || code == 3)) {
            // One member's address or size may be what the device refused: from now on each
            // is read alone, so only that one fails.
            qCInfo(lcModbus).noquote()
                << hostPort() << exceptionText(code) << "for" << batch.count << "from"
                << batch.address << "; reading its" << members.size() << "sensors alone";
            for (const auto &m : members) {
                m_solo.insert(soloKey(m->span));
                m->span.solo = true;
            }
            m_queue.insert(m_queue.begin(), members.begin(), members.end());
            m_queued.notifyAll();
            return;
        }
        fail(members, false, exceptionText(code));
        return;
    }
    case QModbusDevice::TimeoutError:
        fail(members, true, tr("no answer within %1 ms").arg(m_client->timeout()));
        return;
    default:
        fail(members, false, reply.errorString());
        return;
    }
}

void ModbusDevice::finish(const std::vector<std::shared_ptr<Pending>> &members, const Batch &batch,
                          const QList<quint16> &values) {
    m_held = true; // the connection works: the next outage starts the backoff from the start
    m_failures = 0;
    if (std::exchange(m_outageLogged, false))
        Q_EMIT logMessage(tr("Modbus %1: connected again, reading").arg(hostPort()));
    for (const auto &m : members) {
        const qsizetype offset = m->span.address - batch.address;
        if (offset + m->span.count > values.size()) {
            m->error =
                tr("the device answered %1 values for %2").arg(values.size()).arg(batch.count);
        } else {
            m->values = values.mid(offset, m->span.count);
        }
        m->done = true;
        m->finished.notifyAll();
    }
}

void ModbusDevice::fail(const std::vector<std::shared_ptr<Pending>> &members, bool timeout,
                        const QString &why) {
    for (const auto &m : members) {
        if (m->done)
            continue;
        m->error = why;
        m->timedOut = timeout;
        m->done = true;
        m->finished.notifyAll();
    }
}

void ModbusDevice::setState(State state) {
    m_state = state;
    Q_EMIT stateChanged(); // even when it was already: the attempt number and error change
}

void ModbusDevice::onClientState() {
    m_clientChanged.notifyAll();
    const auto s = m_client->state();
    if (m_tasks.isClosed())
        return; // stop() disconnects: nothing to tell
    if (s == QModbusDevice::ConnectedState) {
        m_lastError.clear();
        m_held = false; // the backoff starts over once a read went through on it (finish())
        setState(State::Connected);
        if (!std::exchange(m_everConnected, true))
            Q_EMIT logMessage(tr("Modbus %1: connected").arg(hostPort()));
    } else if (s == QModbusDevice::UnconnectedState && m_state == State::Connected) {
        if (m_lastError.isEmpty())
            m_lastError = tr("the device closed the connection");
        if (!m_held)
            backOff(); // a device that takes the connection and drops it gets the backoff too
        setState(State::Reconnecting);
        if (!std::exchange(m_outageLogged, true))
            Q_EMIT logMessage(
                tr("Modbus %1: connection lost (%2); reconnecting").arg(hostPort(), m_lastError));
    }
}

} // namespace vigil::modbus
