// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dashboard/chartlayout.h"
#include "dashboard/dashboardconfig.h"
#include "timespanmarks.h"

#include <QUrl>
#include <QWidget>

#include <functional>

class QButtonGroup;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QListWidget;
class QPushButton;
class QTableView;
class QToolButton;

namespace vigil::dashboard {
class MonitoringSession;
} // namespace vigil::dashboard

namespace vigil::widgets {

class AddSensorMenu;
class CaptureButtons;
class ErrorBanner;
class ChartGridView;
class EventLog;
class ChartPanel;
class DashboardRenderer;
class SensorStatusModel;
class ThresholdsDialog;

/// @brief The operator's dashboard: a grid of live charts, the time window, pause, the
/// sequential-vs-concurrent switch with the measured cycle time, recording, exports, the sensor
/// list (show, hide, reorder, group), per-sensor status and the alarm and event log.
class DashboardView : public QWidget {
    Q_OBJECT
public:
    explicit DashboardView(dashboard::MonitoringSession &session, QWidget *parent = nullptr);
    ~DashboardView() override;

    [[nodiscard]] QList<ChartPanel *> panels() const;
    [[nodiscard]] ChartGridView *chartGrid() const { return m_grid; }
    [[nodiscard]] QTableView *statusTable() const { return m_statusTable; }
    [[nodiscard]] DashboardRenderer &renderer() const { return *m_renderer; }
    [[nodiscard]] QListWidget *sensorList() const { return m_sensorList; }
    [[nodiscard]] EventLog *eventLog() const { return m_log; }
    [[nodiscard]] QLabel *cycleLabel() const { return m_cycle; }
    [[nodiscard]] QPushButton *pauseButton() const { return m_pause; }
    /// The red strip that shows why a recording stopped by itself.
    [[nodiscard]] ErrorBanner *errorBanner() const { return m_banner; }

    /// Lets the Add menu offer the built-in demo API's sensors over HTTP.
    void setDemoUrlProvider(std::function<QUrl()> demoUrl);
    void setPaused(bool paused);
    void setSequential(bool sequential);
    /// Exports the visible window (or all history) of the shown sensors as CSV.
    bool exportCsv(const QString &path, bool allHistory, QString *error);
    bool exportPng(const QString &path, QString *error);
    /// Starts or stops recording every reading to @p path.
    bool setRecording(bool on, const QString &path, QString *error);
    void addLogLine(const QString &text, const QColor &color = {});
    /// Shades @p span on every chart, including charts made later, while it is in the window.
    void markTimeSpan(const TimeSpan &span);
    /// Opens the alarms dialog of sensor @p id (window-modal, not blocking); OK applies it.
    ThresholdsDialog *editThresholds(const QString &id);

    // Layout edits, as the sensor list's buttons make them.
    void moveSensor(const QString &id, int delta);
    /// Draws @p ids in the chart of the first of them (each on its own Y axis).
    void mergeSensors(const QStringList &ids);
    /// Stops polling @p id and drops it, remembering it for undoRemove().
    void removeSensor(const QString &id);
    /// Puts the last removed sensor back: its config, thresholds, colour and chart place.
    /// False when there is nothing to undo or that removal has not finished.
    bool undoRemove();
    void splitIntoOwnChart(const QString &id);
    void setSensorVisible(const QString &id, bool visible);
    /// The one series the sensor list has selected (the current one if selected), else empty.
    [[nodiscard]] QString selectedSensor() const;
    /// The selected series in list order (chart order).
    [[nodiscard]] QStringList selectedSensors() const;

Q_SIGNALS:
    /// The user changed the alarm bands of @p id, so the dashboard file is out of date.
    void thresholdsEdited(const QString &id);

private:
    void buildToolbar(QHBoxLayout *bar);
    QWidget *buildSidePanel();
    void rebuild();
    /// Selects @p seconds in the window box, if it is one of its choices.
    void showWindow(int seconds);
    void onCycle(double cycleMs, double sumMs, double maxMs, int reads);
    /// Lets the Add menu's MQTT dialog discover topics through the session.
    /// The MQTT dialog's topic discovery, and Prometheus backfills when the window changes.
    void connectStreamSources();
    /// A pushed series went silent, or spoke again: its tile's legend says so.
    void showStale(const QString &id, bool stale);
    /// The status table's menu for the row at @p pos: its alarms, and a line for its instrument.
    void showStatusMenu(QPoint pos);
    void addSensorFromMenu(const dashboard::SensorConfig &config);
    [[nodiscard]] QStringList shownIds() const;

    dashboard::MonitoringSession &m_session;
    DashboardRenderer *m_renderer;
    SensorStatusModel *m_status;
    ChartGridView *m_grid;
    QComboBox *m_window;
    QPushButton *m_pause;
    QButtonGroup *m_mode;
    QLabel *m_cycle;
    CaptureButtons *m_capture = nullptr;
    ErrorBanner *m_banner;
    QListWidget *m_sensorList;
    QTableView *m_statusTable;
    EventLog *m_log;
    AddSensorMenu *m_addMenu = nullptr;
    bool m_rebuilding = false;
    /// @brief A removed sensor, as Undo puts it back.
    struct RemovedSensor {
        dashboard::SensorConfig config;
        dashboard::ChartPlace place;
        bool hidden = false;
    };
    static constexpr qsizetype kUndoDepth = 20;
    QList<RemovedSensor> m_removed;
    QToolButton *m_undo = nullptr;
    static constexpr qsizetype kMaxTimeSpans = 8;
    QList<TimeSpan> m_timeSpans; ///< the newest kMaxTimeSpans, oldest first
};

} // namespace vigil::widgets
