// SPDX-License-Identifier: Apache-2.0
#include "recorder.h"

#include "sensors/sensorhub.h"

#include "async/sleep.h"
#include "async/unlesscancelled.h"
#include "util/logging.h"
#include "util/safefile.h"

namespace vigil::io {

namespace {
QByteArray csvText(const QString &text) {
    QByteArray utf8 = text.toUtf8();
    if (utf8.contains(',') || utf8.contains('"') || utf8.contains('\n')) {
        utf8.replace('"', "\"\"");
        utf8 = '"' + utf8 + '"';
    }
    return utf8;
}
} // namespace

Recorder::Recorder(sensors::SensorHub &hub, async::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_clock(clock) {}

// m_tasks asserts that stop() ran: the flush loop's frame points at this recorder.
Recorder::~Recorder() = default;

bool Recorder::start(const QString &path, QString *error) {
    if (isRecording())
        return true;
    if (const QString p = util::notRegularFileProblem(path); !p.isEmpty()) {
        *error = tr("Cannot record: %1").arg(p);
        return false;
    }
    m_file.setFileName(path);
    // Unbuffered and 0600: writes go to the descriptor (util::writeAll, which knows why they
    // fail), and a recording names the sensors' URLs.
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered,
                     QFile::ReadOwner | QFile::WriteOwner)) {
        *error = tr("Cannot record to %1: %2").arg(path, m_file.errorString());
        return false;
    }
    QString reason;
    if (m_file.size() == 0 &&
        !util::writeAll(m_file.handle(), "time,sensor_id,sensor,unit,value,error\n", &reason)) {
        *error = tr("Cannot record to %1: %2").arg(path, reason);
        m_file.close();
        return false;
    }
    m_buffer.clear();
    m_count = 0;
    m_connection = connect(&m_hub, &sensors::SensorHub::readingAdded, this, &Recorder::onReading);
    m_tasks.spawn(flushLoop(m_tasks.token()));
    qCInfo(lcDashboard).noquote() << "recording to" << path;
    return true;
}

void Recorder::requestStop() {
    disconnect(m_connection);
    m_tasks.cancel();
}

QCoro::Task<> Recorder::stop() {
    requestStop();
    co_await m_tasks.join();
}

void Recorder::onReading(const QString &id, const sensors::Reading &r) {
    const auto sensor = m_hub.sensor(id);
    m_buffer +=
        QDateTime::fromMSecsSinceEpoch(r.timeMs, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8() +
        ',' + csvText(util::redactedUrlText(id)) + ',' + csvText(sensor->name()) + ',' +
        csvText(sensor->unit()) + ',' +
        (r.ok() ? QByteArray::number(r.value, 'g', 12) : QByteArray()) + ',' +
        (r.ok() ? QByteArray() : csvText(sensors::readingErrorName(r.error))) + '\n';
    ++m_count;
}

bool Recorder::flush() {
    QString reason;
    if (!m_buffer.isEmpty() && !util::writeAll(m_file.handle(), m_buffer, &reason)) {
        fail(reason);
        return false;
    }
    m_buffer.clear();
    return true;
}

void Recorder::fail(const QString &reason) {
    disconnect(m_connection);
    m_buffer.clear();
    const QString message = tr("Recording to %1 stopped: %2").arg(m_file.fileName(), reason);
    qCWarning(lcDashboard).noquote() << message;
    Q_EMIT failed(message);
}

QCoro::Task<> Recorder::flushLoop(std::stop_token token) {
    bool running = true;
    while (running) {
        auto sleep = async::sleepFor(m_clock, flushInterval(), token);
        running = co_await async::unlessCancelled(sleep);
        // A last flush after the stop, too; a failed one ends the recording.
        running = flush() && running;
    }
    m_file.close();
}

} // namespace vigil::io
