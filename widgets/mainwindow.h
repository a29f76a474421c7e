// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "async/taskscope.h"

#include <QCoroTask>
#include <QMainWindow>
#include <QSet>
#include <QUrl>

#include <chrono>
#include <cstddef>
#include <memory>

class QLabel;

namespace vigil::async {
class LoopLagProbe;
}
namespace vigil::demo {
class DemoServer;
class ModbusDemoServer;
class SerialInstrument;
} // namespace vigil::demo
namespace vigil::dashboard {
class MonitoringSession;
struct DashboardConfig;
} // namespace vigil::dashboard

namespace vigil::widgets {

class BatchFetchView;
class DashboardView;
class DownloadsView;
class LoopHealthWidget;
class MetricsEndpoint;
class MqttPlantDemo;

/// @brief Vigil's main window: the live dashboard, the batch fetch tab, and a status bar that
/// shows the event loop's health and the poll cycle.
///
/// Closing it shuts everything down first, asynchronously: a running batch is cancelled, downloads
/// are interrupted (partial files kept), the monitoring session stops (instruments disconnect, the
/// recording is flushed); only then does the window close. The dashboard is remembered for the
/// next start.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// The status bar's lag probe wakes the loop ten times a second, not fifty: at 50 Hz it was
    /// most of what a hidden dashboard cost. A stall still shows: the wake due inside it comes
    /// late.
    static constexpr std::chrono::milliseconds kLagProbeInterval{100};
    /// Five seconds of samples, what the meter's "last few seconds" means.
    static constexpr std::size_t kLagProbeSamples = 50;

    /// Opens @p dashboardFile if given, else the last dashboard, else the default one.
    explicit MainWindow(const QString &dashboardFile = {}, QWidget *parent = nullptr);
    /// Asserts that shutdown() ran (closing the window runs it).
    ~MainWindow() override;

    /// What closing does before the window goes: every view and the session stop, and every
    /// coroutine that points at the window ends. Idempotent.
    [[nodiscard]] QCoro::Task<> shutdown();
    [[nodiscard]] bool isShutDown() const { return m_shutDown; }

    [[nodiscard]] DashboardView *dashboard() const { return m_dashboard; }
    [[nodiscard]] LoopHealthWidget *loopHealth() const { return m_loopHealth; }
    [[nodiscard]] async::LoopLagProbe *lagProbe() const { return m_probe; }
    [[nodiscard]] BatchFetchView *batchFetch() const { return m_batch; }
    [[nodiscard]] DownloadsView *downloads() const { return m_downloads; }
    /// /metrics for Prometheus: off unless the settings or `--metrics-port` turn it on.
    [[nodiscard]] MetricsEndpoint &metrics() const { return *m_metrics; }
    [[nodiscard]] dashboard::MonitoringSession &session() const { return *m_session; }
    /// Starts the built-in demo API on 127.0.0.1 on first use; returns its base URL.
    QUrl demoServerUrl();
    /// True once a demo needed the demo API: it does not listen before.
    [[nodiscard]] bool isDemoServerRunning() const { return m_demo != nullptr; }

    /// Loads a dashboard file; on a bad file, says which field is wrong and keeps the current one.
    bool openDashboard(const QString &path, QString *error);
    bool saveDashboard(const QString &path, QString *error);
    /// Runs the same CPU job on the GUI thread and then on the compute pool; returns the verdict.
    void runBlockVsOffloadDemo();
    /// Demo → MQTT plant: starts a private mosquitto and the plant publisher (once), then opens
    /// the dashboard subscribed to them. Says why in the log when mosquitto is missing.
    QCoro::Task<> runMqttPlantDemo();
    /// runMqttPlantDemo() as a task the window owns.
    void runMqttPlantDemoInBackground();
    /// Demo → Modbus plant: Vigil's own Modbus TCP device on 127.0.0.1 (started once, serving
    /// until Vigil quits) and a dashboard that reads every table, type and word order of it.
    void runModbusPlantDemo();
    /// Demo → Serial instrument: Vigil's own instrument on a pseudo-terminal, printing CSV lines
    /// (started once, until Vigil quits), and a dashboard with a serial line source on it.
    void runSerialInstrumentDemo();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildMenus();
    void applyConfig(const dashboard::DashboardConfig &config);
    void remember();
    void showDashboardInTitle();
    /// Alarms set in the dialog go in the open dashboard file, as if set there by hand, unless
    /// saving would leave out a literal secret the file holds.
    void keepEditedThresholds();
    /// Tells the user, once per secret, that @p dropped will not be saved.
    void tellSecretsNotSaved(const QStringList &dropped);

    std::unique_ptr<demo::DemoServer> m_demo;
    std::unique_ptr<MqttPlantDemo> m_mqttDemo;
    std::unique_ptr<demo::ModbusDemoServer> m_modbusDemo; // Demo → Modbus plant, once started
    std::unique_ptr<demo::SerialInstrument> m_serialDemo; // Demo → Serial instrument
    std::unique_ptr<dashboard::MonitoringSession> m_session;
    async::LoopLagProbe *m_probe;
    DashboardView *m_dashboard;
    BatchFetchView *m_batch;
    DownloadsView *m_downloads;
    LoopHealthWidget *m_loopHealth;
    MetricsEndpoint *m_metrics;
    QLabel *m_cycle;
    QString m_dashboardPath;
    QSet<QString> m_toldNotSaved;
    async::TaskScope m_tasks; // the window's own background work (the block-vs-offload demo)
    bool m_closing = false;
    bool m_shutDown = false;
};

} // namespace vigil::widgets
