#pragma once

#include "sensors/meanrevertingwalk.h"

#include <QMainWindow>
#include <QTimer>

namespace vigil::async {
class LoopLagProbe;
}

namespace vigil::widgets {

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

private:
    void buildMenus();
    void sampleSimulatedValue();

    async::LoopLagProbe *m_probe;
    LiveChart *m_chart;
    LoopHealthWidget *m_loopHealth;
    sensors::MeanRevertingWalk m_reactorTemp;
    QTimer m_sampler;
};

} // namespace vigil::widgets
