// SPDX-License-Identifier: Apache-2.0
#include "linessource.h"

#include "async/retrypolicy.h"
#include "async/sleep.h"
#include "sensors/sensorhub.h"
#include "sensors/streamseries.h"
#include "util/logging.h"

#include <QSerialPort>
#include <QTcpSocket>
#include <QUdpSocket>

namespace vigil::lines {

using namespace std::chrono_literals;

namespace {
/// Applies "8N1", "7E1", … to @p port.
void applyFraming(QSerialPort &port, const QString &framing) {
    if (framing.size() != 3)
        return; // lineSpecProblem() refuses it; stay on the port's own framing
    port.setDataBits(QSerialPort::DataBits(framing.at(0).digitValue()));
    const QChar parity = framing.at(1);
    port.setParity(parity == u'E'   ? QSerialPort::EvenParity
                   : parity == u'O' ? QSerialPort::OddParity
                                    : QSerialPort::NoParity);
    port.setStopBits(framing.at(2) == u'2' ? QSerialPort::TwoStop : QSerialPort::OneStop);
}

/// Qt's messages end in a full stop; ours sit inside parentheses.
QString plain(QString text) {
    while (text.endsWith(u'.'))
        text.chop(1);
    return text;
}
} // namespace

LinesSource::LinesSource(QString id, LineSpec spec, sensors::SensorHub &hub, async::Clock &clock,
                         QObject *parent)
    : QObject(parent)
    , m_id(std::move(id))
    , m_spec(std::move(spec))
    , m_hub(hub)
    , m_clock(clock)
    , m_parser(m_spec)
    , m_status(std::make_shared<sensors::StreamStatus>()) {
    m_status->state = stateText();
}

LinesSource::~LinesSource() = default;

void LinesSource::start() {
    if (m_tasks.running() == 0 && !m_tasks.isClosed()) {
        m_tasks.spawn(run(m_tasks.token()));
        m_tasks.spawn(watch(m_tasks.token()));
    }
}

QCoro::Task<> LinesSource::stop() {
    m_closing = true;
    auto closing = m_tasks.close();
    co_await closing;
    m_io.reset();
}

QString LinesSource::stateText() const {
    if (m_open)
        return tr("open");
    if (m_failures == 0)
        return tr("opening");
    return m_lastError.isEmpty() ? tr("reopening #%1").arg(m_failures)
                                 : tr("reopening #%1 (%2)").arg(m_failures).arg(m_lastError);
}

QString LinesSource::seriesId(const QString &field) const {
    return m_id + u'|' + field;
}

void LinesSource::setState(bool open) {
    m_open = open;
    m_status->state = stateText();
    m_status->connected = open;
    Q_EMIT stateChanged();
}

QCoro::Task<> LinesSource::run(std::stop_token token) {
    while (true) {
        auto opening = open(token);
        m_io = co_await opening;
        if (m_io) {
            m_buffer.clear();
            m_skipping = false;
            setState(true);
            Q_EMIT logMessage(tr("%1: open").arg(m_spec.where()));
            readAvailable(); // what came before readyRead was connected
            while (m_open)
                co_await m_closed.wait(token);
            m_io.reset();
        }
        ++m_failures;
        setState(false);
        qCInfo(lcLines).noquote() << m_spec.where() << "attempt" << m_failures << m_lastError;
        async::RetryPolicy backoff;
        backoff.baseDelay = 500ms;
        backoff.maxDelay = 10s;
        co_await async::sleepFor(m_clock, backoff.backoffCap(m_failures), token);
    }
}

QCoro::Task<std::unique_ptr<QIODevice>> LinesSource::open(std::stop_token token) {
    QString why;
    if (m_spec.transport == Transport::Serial) {
        auto port = std::make_unique<QSerialPort>(m_spec.device);
        port->setBaudRate(m_spec.baud);
        applyFraming(*port, m_spec.framing);
        if (!port->open(QIODevice::ReadWrite)) {
            m_lastError = plain(port->errorString());
            co_return std::unique_ptr<QIODevice>();
        }
        connect(
            port.get(), &QSerialPort::errorOccurred, this, [this](QSerialPort::SerialPortError e) {
                // A pulled USB adapter or a closed pty: ResourceError (read() gave EIO).
                if (e != QSerialPort::NoError && e != QSerialPort::TimeoutError && m_open && m_io)
                    lost(plain(m_io->errorString()));
            });
        connect(port.get(), &QIODevice::readyRead, this, &LinesSource::readAvailable);
        co_return std::unique_ptr<QIODevice>(std::move(port));
    }
    const auto endpoint = parseEndpoint(m_spec.url, m_spec.transport, &why);
    if (!endpoint) {
        m_lastError = why;
        co_return std::unique_ptr<QIODevice>();
    }
    if (m_spec.transport == Transport::Udp) {
        auto socket = std::make_unique<QUdpSocket>();
        if (!socket->bind(QHostAddress(endpoint->host), quint16(endpoint->port))) {
            m_lastError = plain(socket->errorString());
            co_return std::unique_ptr<QIODevice>();
        }
        connect(socket.get(), &QUdpSocket::readyRead, this, &LinesSource::readAvailable);
        co_return std::unique_ptr<QIODevice>(std::move(socket));
    }
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost(endpoint->host, quint16(endpoint->port));
    async::Notifier changed;
    const auto c1 = connect(socket.get(), &QAbstractSocket::stateChanged, this,
                            [&changed] { changed.notifyAll(); });
    const auto c2 = connect(socket.get(), &QAbstractSocket::errorOccurred, this,
                            [&changed] { changed.notifyAll(); });
    bool timedOut = false;
    const auto timer = m_clock.callAt(m_clock.now() + 5s, [&] {
        timedOut = true;
        changed.notifyAll();
    });
    try {
        while (socket->state() != QAbstractSocket::ConnectedState &&
               socket->state() != QAbstractSocket::UnconnectedState && !timedOut)
            co_await changed.wait(token);
    } catch (...) {
        m_clock.cancel(timer);
        disconnect(c1);
        disconnect(c2);
        throw;
    }
    m_clock.cancel(timer);
    disconnect(c1);
    disconnect(c2);
    if (socket->state() != QAbstractSocket::ConnectedState) {
        m_lastError = timedOut ? tr("no connection within 5 s") : plain(socket->errorString());
        socket->abort();
        co_return std::unique_ptr<QIODevice>();
    }
    // A converter that lost power sends no FIN: keepalive finds the dead connection.
    socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    connect(socket.get(), &QIODevice::readyRead, this, &LinesSource::readAvailable);
    connect(socket.get(), &QAbstractSocket::disconnected, this,
            [this] { lost(tr("the server closed the connection")); });
    co_return std::unique_ptr<QIODevice>(std::move(socket));
}

void LinesSource::lost(const QString &why) {
    if (!m_open || m_closing)
        return;
    m_lastError = why;
    setState(false);
    // The outage shows as a gap in every series, not as a line drawn across it.
    const qint64 nowMs = m_clock.wallNow().toMSecsSinceEpoch();
    for (const auto &id : std::as_const(m_seriesOrder)) {
        sensors::Reading r;
        r.timeMs = r.slotTimeMs = nowMs;
        r.error = sensors::ReadingError::Unavailable;
        r.message = why;
        m_hub.ingest(id, r);
    }
    Q_EMIT logMessage(tr("%1: lost (%2); reopening").arg(m_spec.where(), why));
    m_closed.notifyAll();
}

bool LinesSource::writeLine(const QByteArray &line, QString *error) {
    if (m_spec.transport == Transport::Udp) {
        *error = tr("a UDP source only listens");
        return false;
    }
    if (!m_open || !m_io) {
        *error = tr("%1 is not open (%2)").arg(m_spec.where(), stateText());
        return false;
    }
    const QByteArray bytes = line.endsWith('\n') ? line : line + '\n';
    if (m_io->write(bytes) != bytes.size()) {
        *error = plain(m_io->errorString());
        return false;
    }
    return true;
}

} // namespace vigil::lines
