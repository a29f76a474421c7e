// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>

#include <memory>

class QSocketNotifier;

namespace vigil::dashboard {
struct DashboardConfig;
}

namespace vigil::demo {

/// @brief Vigil's own serial instrument for the offline demo and the benchmark: a pseudo-terminal
/// (posix_openpt) whose other end, devicePath(), any serial reader opens like a USB adapter. GUI
/// thread; closes the pty on destruction.
///
/// It waits for a reader to open the other end, then prints CSV lines without a header,
/// "seq,ts,c1,…,cN" (ts in epoch ms; with the plant's columns: temp_c, humidity_pct, pressure_hpa,
/// vbat_v), at rateHz, and takes commands: "RATE n" sets the rate (1 to 100,000 lines a second),
/// "*IDN?" is counted. What the reader does not take yet waits in a buffer of up to 4 MiB, as a
/// UART's driver would hold it; past that, lines are lost and counted.
class SerialInstrument : public QObject {
    Q_OBJECT
public:
    /// @p columns: 0 for the plant's four, or N synthetic values c1..cN.
    explicit SerialInstrument(double rateHz = 20, int columns = 0, QObject *parent = nullptr);
    ~SerialInstrument() override;

    /// Opens the pty and starts printing; false with errorString() when it cannot.
    bool open();
    /// Stops printing after @p lines lines in all (0: never).
    void setLimit(qint64 lines) { m_limit = lines; }
    [[nodiscard]] const QString &devicePath() const { return m_path; }
    [[nodiscard]] const QString &errorString() const { return m_error; }
    [[nodiscard]] qint64 linesWritten() const { return m_seq; }
    [[nodiscard]] qint64 linesLost() const { return m_lost; }
    [[nodiscard]] const QStringList &commands() const { return m_commands; }
    [[nodiscard]] double rateHz() const { return m_rateHz; }
    /// The column names after seq and ts.
    [[nodiscard]] QStringList columns() const;

Q_SIGNALS:
    /// Every line of the limit has left the buffer.
    void finished();

private:
    void tick();
    void flush();
    void readCommands();
    QByteArray line(qint64 seq, qint64 nowMs);

    struct Walks;
    double m_rateHz;
    int m_columns;
    std::unique_ptr<Walks> m_walks;
    int m_master = -1;
    QString m_path;
    QString m_error;
    QSocketNotifier *m_readable = nullptr;
    qint64 m_seq = 0;
    qint64 m_lost = 0;
    qint64 m_limit = 0;
    qint64 m_startMs = 0;
    qint64 m_startSeq = 0;
    bool m_started = false;   // a reader opened the other end
    bool m_finishing = false; // the limit is reached: finished() follows
    QByteArray m_pending;
    QByteArray m_commandBuffer;
    QStringList m_commands;
};

/// The dashboard that reads @p instrument at @p device: a lines source with its columns.
[[nodiscard]] dashboard::DashboardConfig serialInstrumentDashboard(const QString &device,
                                                                   const QStringList &columns);

} // namespace vigil::demo
