// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sensors/sensor.h"

#include <QHash>
#include <QListWidget>

namespace vigil::dashboard {
class MonitoringSession;
}
namespace vigil::sensors {
struct AlarmEvent;
}

namespace vigil::widgets {

/// @brief The dashboard's alarm and event log, newest first: every line starts with its time.
///
/// Besides the lines it is given, it logs alarm level changes, the session's messages
/// (instrument lifecycle, skipped sensors) and each sensor going down (refused, 404, timeout,
/// bad data) and coming back, once per change rather than once per failed read. Keeps the last
/// kMaxLines lines.
class EventLog : public QListWidget {
    Q_OBJECT
public:
    static constexpr int kMaxLines = 1000;

    explicit EventLog(dashboard::MonitoringSession &session, QWidget *parent = nullptr);

    /// Adds a line stamped with @p timeMs (wall-clock ms), or with the session clock's time.
    void addLine(const QString &text, const QColor &color = {}, qint64 timeMs = -1);

private:
    /// A sensor that is failing: since when, and why it went down.
    struct Down {
        qint64 sinceMs = 0;
        qint64 failedReads = 0;
        sensors::ReadingError error = sensors::ReadingError::None;
    };
    void onAlarm(const sensors::AlarmEvent &event);
    void onReading(const QString &id, const sensors::Reading &reading);

    dashboard::MonitoringSession &m_session;
    QHash<QString, Down> m_down; // by sensor id
};

} // namespace vigil::widgets
