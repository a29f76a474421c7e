// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLabel>
#include <QTimer>

namespace vigil::async {
class LoopLagProbe;
}

namespace vigil::widgets {

/// @brief Status-bar readout of event-loop lag (p50/p99), coloured by how close it is to a dropped
/// frame. Refreshes at 4 Hz so the text stays readable.
class LoopHealthWidget : public QLabel {
    Q_OBJECT
public:
    explicit LoopHealthWidget(const async::LoopLagProbe *probe, QWidget *parent = nullptr);

    /// Rereads the probe now; also runs on the widget's own refresh timer.
    void refresh();

    // One 60 Hz frame is 16.7 ms; lag beyond a few frames is a visible stutter.
    static constexpr double kFrameMs = 16.0;
    static constexpr double kVisibleStallMs = 50.0;

    enum class Health { Good, Strained, Blocked };
    /// Good under kFrameMs, Strained under kVisibleStallMs, Blocked from there on.
    [[nodiscard]] static Health classify(double p99Ms);
    [[nodiscard]] Health health() const { return m_health; }

private:
    const async::LoopLagProbe *m_probe;
    QTimer m_refresh;
    Health m_health = Health::Good;
    bool m_coloured = false;
};

/// Fixes @p label's size to what @p widest needs: setting new text then repaints the label alone.
/// A label that may change size re-lays out its whole parent (the status bar) on every setText().
void keepSizeFor(QLabel &label, const QString &widest);

} // namespace vigil::widgets
