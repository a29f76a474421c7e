// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sensors/thresholds.h"

#include <QDialog>

#include <functional>

class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QMenu;
class QSpinBox;

namespace vigil::dashboard {
class MonitoringSession;
}

namespace vigil::widgets {

/// @brief Edits one sensor's alarm bands, deadband and "for N s" delay. An empty bound is not
/// set; OK stays disabled while the bounds are out of order or not numbers.
class ThresholdsDialog : public QDialog {
    Q_OBJECT
public:
    enum Bound { LowAlarm, LowWarn, HighWarn, HighAlarm, BoundCount };

    ThresholdsDialog(const QString &sensorName, const QString &unit,
                     const sensors::Thresholds &thresholds, QWidget *parent = nullptr);

    /// Opens, window-modal and without blocking, the dialog for @p session's sensor @p id
    /// (nullptr when there is none); OK sets the session's thresholds. Deletes itself on close.
    static ThresholdsDialog *openFor(dashboard::MonitoringSession &session, const QString &id,
                                     QWidget *parent);

    /// What the fields say; meaningful when problem() is empty.
    [[nodiscard]] sensors::Thresholds thresholds() const;
    /// Why OK is disabled, as shown under the fields; empty when the fields are fine.
    [[nodiscard]] QString problem() const;
    /// Closes with Accepted only when problem() is empty, however accept is reached.
    void accept() override;

    [[nodiscard]] QLineEdit *boundEdit(Bound bound) const { return m_bounds[bound]; }
    [[nodiscard]] QDoubleSpinBox *deadbandBox() const { return m_deadband; }
    [[nodiscard]] QSpinBox *delayBox() const { return m_delay; }
    [[nodiscard]] QDialogButtonBox *buttons() const { return m_buttons; }

private:
    void check();

    QLineEdit *m_bounds[BoundCount];
    QDoubleSpinBox *m_deadband;
    QSpinBox *m_delay;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

/// Pops up, without blocking, a menu with "Alarms of NAME…" for each (id, name) in @p sensors;
/// choosing one calls @p open with its id; @p extend may add more before it shows. The menu is
/// a child of @p parent and deletes itself.
QMenu *popupThresholdsMenu(QWidget *parent, const QList<QPair<QString, QString>> &sensors,
                           const QPoint &globalPos, std::function<void(const QString &)> open,
                           const std::function<void(QMenu *)> &extend = {});

} // namespace vigil::widgets
