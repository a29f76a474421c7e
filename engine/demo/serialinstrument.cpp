// SPDX-License-Identifier: Apache-2.0
#include "serialinstrument.h"

#include "dashboard/dashboardconfig.h"
#include "sensors/meanrevertingwalk.h"

#include <QDateTime>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <cmath>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

namespace vigil::demo {

namespace {
constexpr qsizetype kMaxPending = 4 * 1024 * 1024;
const char *const kPlantColumns[] = {"temp_c", "humidity_pct", "pressure_hpa", "vbat_v"};
} // namespace

struct SerialInstrument::Walks {
    std::vector<sensors::MeanRevertingWalk> walks;
};

SerialInstrument::SerialInstrument(double rateHz, int columns, QObject *parent)
    : QObject(parent)
    , m_rateHz(rateHz)
    , m_columns(columns)
    , m_walks(std::make_unique<Walks>()) {
    if (columns == 0) {
        const double setpoints[] = {22, 45, 1013, 3.7};
        const double sigmas[] = {0.2, 1, 0.5, 0.01};
        for (int i = 0; i < 4; ++i)
            m_walks->walks.emplace_back(setpoints[i], sigmas[i], 0.05, 40 + i);
    }
}

SerialInstrument::~SerialInstrument() {
    if (m_master >= 0)
        ::close(m_master);
}

QStringList SerialInstrument::columns() const {
    QStringList out;
    if (m_columns == 0)
        for (const char *c : kPlantColumns)
            out << QString::fromLatin1(c);
    for (int i = 1; i <= m_columns; ++i)
        out << QStringLiteral("c%1").arg(i);
    return out;
}

bool SerialInstrument::open() {
    m_master = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (m_master < 0 || ::grantpt(m_master) != 0 || ::unlockpt(m_master) != 0) {
        m_error =
            tr("cannot open a pseudo-terminal: %1").arg(QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    m_path = QString::fromLocal8Bit(::ptsname(m_master));
    // Linux reports the hang-up that says "no reader yet" only once the other end has been
    // open: open and close it once, so tick() can wait for the real reader.
    if (const int slave = ::open(::ptsname(m_master), O_RDWR | O_NOCTTY | O_CLOEXEC); slave >= 0)
        ::close(slave);
    // Raw on both sides: no echo of the lines back to us, no CR/LF rewriting.
    termios t{};
    if (::tcgetattr(m_master, &t) == 0) {
        ::cfmakeraw(&t);
        ::tcsetattr(m_master, TCSANOW, &t);
    }
    m_readable = new QSocketNotifier(m_master, QSocketNotifier::Read, this);
    connect(m_readable, &QSocketNotifier::activated, this, &SerialInstrument::readCommands);
    auto *timer = new QTimer(this);
    timer->setTimerType(Qt::PreciseTimer);
    connect(timer, &QTimer::timeout, this, &SerialInstrument::tick);
    timer->start(m_rateHz >= 1000 ? 1 : 10);
    return true;
}

QByteArray SerialInstrument::line(qint64 seq, qint64 nowMs) {
    QByteArray out = QByteArray::number(seq) + ',' + QByteArray::number(nowMs);
    if (m_columns == 0) {
        for (auto &w : m_walks->walks)
            out += ',' + QByteArray::number(w.next(), 'f', 3);
    } else {
        for (int i = 1; i <= m_columns; ++i)
            out += ',' + QByteArray::number(std::sin(double(seq) / 100 + i) * i, 'f', 4);
    }
    return out + '\n';
}

void SerialInstrument::tick() {
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (!m_started) {
        // Until a reader opens the other end the master reports a hang-up: start then, so no
        // line is written into a port nobody has open (opening it flushes what waited).
        pollfd p{m_master, POLLIN, 0};
        if (::poll(&p, 1, 0) >= 0 && (p.revents & POLLHUP))
            return;
        m_started = true;
        m_startMs = nowMs;
    }
    qint64 due = m_startSeq + qint64(double(nowMs - m_startMs) * m_rateHz / 1000.0);
    if (m_limit > 0)
        due = std::min(due, m_limit);
    for (; m_seq < due; ++m_seq) {
        if (m_pending.size() > kMaxPending) {
            ++m_lost; // the reader is away or too slow: as a UART overrun, the line is gone
            continue;
        }
        m_pending += line(m_seq, nowMs);
    }
    flush();
    if (m_limit > 0 && m_seq >= m_limit && m_pending.isEmpty() && !m_finishing) {
        // Closing the master drops what the reader has not taken from the pty yet: give it
        // time to.
        m_finishing = true;
        QTimer::singleShot(500, this, &SerialInstrument::finished);
    }
}

void SerialInstrument::flush() {
    while (!m_pending.isEmpty()) {
        const ssize_t n = ::write(m_master, m_pending.constData(), size_t(m_pending.size()));
        if (n <= 0)
            return; // the pty's buffer is full (EAGAIN): the next tick tries again
        m_pending.remove(0, n);
    }
}

void SerialInstrument::readCommands() {
    char buf[512];
    const ssize_t n = ::read(m_master, buf, sizeof buf);
    if (n <= 0) {
        if (n < 0 && errno == EIO) // no reader on the other side: wait for one
            m_readable->setEnabled(false),
                QTimer::singleShot(200, this, [this] { m_readable->setEnabled(true); });
        return;
    }
    m_commandBuffer.append(buf, n);
    for (qsizetype nl = m_commandBuffer.indexOf('\n'); nl >= 0;
         nl = m_commandBuffer.indexOf('\n')) {
        const QString command = QString::fromUtf8(m_commandBuffer.left(nl)).trimmed();
        m_commandBuffer.remove(0, nl + 1);
        m_commands << command;
        if (command.startsWith(QLatin1String("RATE "), Qt::CaseInsensitive)) {
            bool ok = false;
            const double rate = command.mid(5).toDouble(&ok);
            if (ok && rate >= 1 && rate <= 100000) { // from here on, at the new rate
                m_startSeq = m_seq;
                m_startMs = QDateTime::currentMSecsSinceEpoch();
                m_rateHz = rate;
            }
        }
    }
}

dashboard::DashboardConfig serialInstrumentDashboard(const QString &device,
                                                     const QStringList &columns) {
    dashboard::DashboardConfig c;
    dashboard::SensorConfig s;
    s.type = QStringLiteral("lines");
    s.lines.transport = lines::Transport::Serial;
    s.lines.device = device;
    s.lines.format = lines::LineFormat::Csv;
    // The sequence number is for counting lost lines, not for a chart.
    s.lines.columns = QStringList{QStringLiteral("-"), QStringLiteral("ts")} + columns;
    s.lines.timestamp = QStringLiteral("ts");
    s.lines.expectedIntervalMs = 1000;
    c.sensors << s;
    c.charts.clear(); // the series share a chart as they appear
    return c;
}

} // namespace vigil::demo
