// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "linespec.h"

#include "async/clock.h"
#include "async/notifier.h"
#include "async/taskscope.h"
#include "sensors/thresholds.h"

#include <QCoroTask>
#include <QObject>
#include <QPointer>

#include <deque>
#include <memory>
#include <unordered_map>

class QIODevice;

namespace vigil::sensors {
class SensorHub;
struct StreamStatus;
} // namespace vigil::sensors

namespace vigil::lines {

/// @brief Lines from a serial port, a TCP server or UDP datagrams, as a stream source: each
/// field a line carries becomes a series of a SensorHub as it first appears. GUI thread; await
/// stop() before destruction.
///
/// A line that gives nothing, or not everything (text where a number belongs, a wrong count of
/// CSV cells, a line past 64 KiB), is counted with its reason, said in the event log once per
/// reason, and reading goes on. A port that goes away (a USB unplug, a closed pty, a TCP server
/// that stopped) leaves a gap in every series and is opened again with backoff (0.5 s doubling
/// to 10 s) until it is back; the state says so ("reopening #3 (No such file or directory)").
/// UDP listens on the URL's address, 127.0.0.1 unless the user names another.
class LinesSource : public QObject {
    Q_OBJECT
public:
    LinesSource(QString id, LineSpec spec, sensors::SensorHub &hub, async::Clock &clock,
                QObject *parent = nullptr);
    ~LinesSource() override;
    /// The alarm bands every new series of this source starts with.
    void setThresholds(const sensors::Thresholds &thresholds) { m_thresholds = thresholds; }

    void start();
    /// Closes the port; the series stay in the hub.
    [[nodiscard]] QCoro::Task<> stop();
    /// Writes @p line and a newline to the port or socket (a command for the instrument).
    /// False, with why in @p error, while it is not open (or for UDP, which only listens).
    bool writeLine(const QByteArray &line, QString *error);
    /// Handles one line as if the port had sent it.
    void ingest(QByteArrayView line);

    [[nodiscard]] const QString &id() const { return m_id; }
    [[nodiscard]] const LineSpec &spec() const { return m_spec; }
    [[nodiscard]] const QStringList &seriesIds() const { return m_seriesOrder; }
    [[nodiscard]] qint64 lines() const { return m_lines; }
    [[nodiscard]] qint64 malformed() const { return m_malformed; }
    [[nodiscard]] const QString &lastProblem() const { return m_lastProblem; }
    [[nodiscard]] bool isOpen() const { return m_open; }
    /// "open", "reopening #2 (No such file or directory)", …
    [[nodiscard]] QString stateText() const;
    /// The id of the series of @p field.
    [[nodiscard]] QString seriesId(const QString &field) const;

    static constexpr qsizetype kMaxLineBytes = 64 * 1024;

Q_SIGNALS:
    void seriesAdded(const QString &id);
    void logMessage(const QString &message);
    void stateChanged();

private:
    QCoro::Task<> run(std::stop_token token);
    QCoro::Task<> watch(std::stop_token token);
    /// Opens the port or socket; nullptr with m_lastError set when it cannot.
    QCoro::Task<std::unique_ptr<QIODevice>> open(std::stop_token token);
    void readAvailable();
    void lost(const QString &why);
    void countProblem(const QString &reason);
    QString seriesFor(const QString &field);
    void setState(bool open);

    QString m_id;
    LineSpec m_spec;
    sensors::SensorHub &m_hub;
    async::Clock &m_clock;
    LineParser m_parser;
    std::unique_ptr<QIODevice> m_io;
    QByteArray m_buffer;
    bool m_open = false;
    bool m_closing = false;
    bool m_skipping = false; // dropping the rest of a line past kMaxLineBytes
    int m_failures = 0;
    QString m_lastError;
    std::shared_ptr<sensors::StreamStatus> m_status;
    QStringList m_seriesOrder;
    std::unordered_map<QString, async::Clock::TimePoint> m_lastSeen; // by series id
    sensors::Thresholds m_thresholds;
    qint64 m_lines = 0;
    qint64 m_malformed = 0;
    qint64 m_overCap = 0;
    QString m_lastProblem;
    QStringList m_reasonsLogged; // each reason's first line is logged, not every one
    std::deque<std::pair<async::Clock::TimePoint, qint64>> m_rateMarks;
    async::Notifier m_closed; // the port went away
    async::TaskScope m_tasks;
};

} // namespace vigil::lines
