#pragma once

#include "sensors/meanrevertingwalk.h"

#include <QMainWindow>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace vigil::async {
class LoopLagProbe;
}
namespace vigil::demo {
class DemoServer;
}

namespace vigil::widgets {

class BatchFetchView;
class LiveChart;
class LoopHealthWidget;

/// @brief Vigil's main window: the live view and a status bar that shows the loop's health.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    [[nodiscard]] LiveChart *liveChart() const { return m_chart; }
    [[nodiscard]] LoopHealthWidget *loopHealth() const { return m_loopHealth; }
    [[nodiscard]] async::LoopLagProbe *lagProbe() const { return m_probe; }
    [[nodiscard]] BatchFetchView *batchFetch() const { return m_batch; }
    /// Starts the built-in demo API on 127.0.0.1 on first use; returns its base URL.
    QUrl demoServerUrl();

private:
    void buildMenus();
    void sampleSimulatedValue();

    std::unique_ptr<demo::DemoServer> m_demo;
    async::LoopLagProbe *m_probe;
    LiveChart *m_chart;
    BatchFetchView *m_batch;
    LoopHealthWidget *m_loopHealth;
    sensors::MeanRevertingWalk m_reactorTemp;
    QTimer m_sampler;
};

} // namespace vigil::widgets
