// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dashboard/dashboardconfig.h"

#include <QDialog>

#include <functional>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSpinBox;

namespace vigil::dashboard {
class MonitoringSession;
}

namespace vigil::widgets {

/// @brief Add… → Serial / TCP / UDP lines…: where the lines come from (a serial port from the
/// list QSerialPortInfo finds, or typed; tcp://host:port; udp://127.0.0.1:port to listen on),
/// the line format (CSV with a header or columns, key=value, JSON with a pointer per field),
/// the timestamp column, the series names, unit and staleness. Checked by the dashboard file's
/// own rules as the user types, naming the field.
class LineSourceDialog : public QDialog {
    Q_OBJECT
public:
    explicit LineSourceDialog(QWidget *parent = nullptr);

    /// The source as entered; nullopt with @p problem naming the field when it cannot work.
    [[nodiscard]] std::optional<dashboard::SensorConfig> config(QString *problem) const;

    [[nodiscard]] QComboBox *transportBox() const { return m_transport; }
    [[nodiscard]] QComboBox *portBox() const { return m_port; }
    [[nodiscard]] QLineEdit *urlEdit() const { return m_url; }
    [[nodiscard]] QComboBox *formatBox() const { return m_format; }
    [[nodiscard]] QLineEdit *columnsEdit() const { return m_columns; }
    [[nodiscard]] QLineEdit *fieldsEdit() const { return m_fields; }
    [[nodiscard]] QLineEdit *timestampEdit() const { return m_timestamp; }
    [[nodiscard]] QLabel *problemLabel() const { return m_problem; }
    [[nodiscard]] QPushButton *okButton() const { return m_ok; }

private:
    void check();

    QComboBox *m_transport, *m_port, *m_baud, *m_framing, *m_format;
    QLineEdit *m_url, *m_columns, *m_fields, *m_timestamp, *m_name, *m_unit;
    QSpinBox *m_expected;
    QLabel *m_problem;
    QPushButton *m_ok;
};

/// Adds "Send a line to SOURCE…" to @p menu when @p seriesId belongs to a serial or TCP line
/// source of @p session; the line typed is written to the port, and @p log says how it went.
void addLineCommandAction(QMenu *menu, dashboard::MonitoringSession &session,
                          const QString &seriesId, std::function<void(const QString &)> log);

} // namespace vigil::widgets
