// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "async/cancellation.h"
#include "async/clock.h"
#include "async/taskscope.h"

#include <QCoroTask>
#include <QFile>
#include <QObject>

namespace vigil::sensors {
class SensorHub;
struct Reading;
} // namespace vigil::sensors

namespace vigil::io {

/// @brief Records every reading of a SensorHub to CSV while monitoring goes on (asyncio's
/// create_task): a background task flushes the buffer at least once a second, so a crash loses
/// at most a second of readings. A write error (a full disk) stops the recording and says why
/// through failed().
class Recorder : public QObject {
    Q_OBJECT
public:
    Recorder(sensors::SensorHub &hub, async::Clock &clock, QObject *parent = nullptr);
    ~Recorder() override;

    /// Opens @p path (appending) and starts recording. False with @p error if it cannot.
    bool start(const QString &path, QString *error);
    /// Stops recording without waiting: the background task ends by itself after a final flush.
    void requestStop();
    /// Stops and waits for the final flush. Await before destruction; start() may follow.
    [[nodiscard]] QCoro::Task<> stop();
    [[nodiscard]] bool isRecording() const { return m_tasks.running() > 0; }
    [[nodiscard]] QString path() const { return m_file.fileName(); }
    [[nodiscard]] qint64 recordedCount() const { return m_count; }
    [[nodiscard]] static constexpr std::chrono::milliseconds flushInterval() {
        return std::chrono::milliseconds(500);
    }

Q_SIGNALS:
    /// The recording stopped by itself: @p message names the file and the system's reason
    /// ("Recording to … stopped: No space left on device").
    void failed(const QString &message);

private:
    void onReading(const QString &id, const sensors::Reading &reading);
    QCoro::Task<> flushLoop(std::stop_token token);
    /// Writes the buffer; false (recording over, failed() emitted) when the file refuses it.
    bool flush();
    void fail(const QString &reason);

    sensors::SensorHub &m_hub;
    async::Clock &m_clock;
    QFile m_file;
    QByteArray m_buffer;
    qint64 m_count = 0;
    QMetaObject::Connection m_connection;
    async::TaskScope m_tasks; // the flush loop
};

} // namespace vigil::io
