// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dashboard/dashboardconfig.h"

#include <QDialog>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace vigil::widgets {

/// @brief Add… → Modbus register…: the device (host, port, unit id), the register (table and
/// address, 0-based or in Modicon notation such as 40001, said by a check box), how to decode
/// it (type, word order, scale, offset), and name, unit and interval. Checked by the dashboard
/// file's own rules as the user types, naming the field. "Test read" reads the registers once
/// and shows the value in all four word orders, so the right one can be picked by eye.
class ModbusDialog : public QDialog {
    Q_OBJECT
public:
    /// Reads a register spec's words once and calls back with them, or with why not.
    using ReadFn =
        std::function<void(modbus::RegisterSpec, std::function<void(QList<quint16>, QString)>)>;

    explicit ModbusDialog(ReadFn read, QWidget *parent = nullptr);

    /// The sensor as entered; nullopt with @p problem naming the field when it cannot work.
    [[nodiscard]] std::optional<dashboard::SensorConfig> config(QString *problem) const;
    /// The raw words, then a line per order ("ABCD 10", "CDAB 2.3e-41", …): @p words decoded
    /// as @p spec's type in every order.
    [[nodiscard]] static QString everyOrder(const modbus::RegisterSpec &spec,
                                            const QList<quint16> &words);

    [[nodiscard]] QLineEdit *hostEdit() const { return m_host; }
    [[nodiscard]] QSpinBox *portBox() const { return m_port; }
    [[nodiscard]] QComboBox *tableBox() const { return m_table; }
    [[nodiscard]] QSpinBox *addressBox() const { return m_address; }
    [[nodiscard]] QCheckBox *modiconBox() const { return m_modicon; }
    [[nodiscard]] QComboBox *typeBox() const { return m_type; }
    [[nodiscard]] QComboBox *orderBox() const { return m_order; }
    [[nodiscard]] QLineEdit *nameEdit() const { return m_name; }
    [[nodiscard]] QPushButton *testButton() const { return m_test; }
    [[nodiscard]] QLabel *resultLabel() const { return m_result; }
    [[nodiscard]] QLabel *problemLabel() const { return m_problem; }
    [[nodiscard]] QPushButton *okButton() const { return m_ok; }

private:
    void check();
    [[nodiscard]] std::optional<dashboard::SensorConfig> configNamed(const QString &name,
                                                                     QString *problem) const;
    /// The config a test read uses: the form's, with a stand-in name while it has none.
    [[nodiscard]] std::optional<dashboard::SensorConfig> readable() const;
    void test();
    void showRead(const modbus::RegisterSpec &spec, const QList<quint16> &words,
                  const QString &error);

    ReadFn m_readFn;
    QLineEdit *m_host, *m_name, *m_unit;
    QSpinBox *m_port, *m_unitId, *m_address, *m_interval, *m_maxPerRequest;
    QCheckBox *m_modicon;
    QComboBox *m_table, *m_type, *m_order;
    QDoubleSpinBox *m_scale, *m_offset;
    QPushButton *m_test;
    QLabel *m_result;
    QLabel *m_problem;
    QPushButton *m_ok;
    bool m_testing = false;
};

} // namespace vigil::widgets
