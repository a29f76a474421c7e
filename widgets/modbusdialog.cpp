// SPDX-License-Identifier: Apache-2.0
#include "modbusdialog.h"
#include "fieldlabel.h"

#include "modbus/registersensor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>

namespace vigil::widgets {

namespace {
QString labelFor(const QString &path) {
    static const QList<QPair<QString, QString>> labels = {
        {QStringLiteral("host"), QStringLiteral("Host")},
        {QStringLiteral("port"), QStringLiteral("Port")},
        {QStringLiteral("unit_id"), QStringLiteral("Unit id")},
        {QStringLiteral("table"), QStringLiteral("Table")},
        {QStringLiteral("address"), QStringLiteral("Address")},
        {QStringLiteral("modicon"), QStringLiteral("Address")},
        {QStringLiteral("data_type"), QStringLiteral("Type")},
        {QStringLiteral("word_order"), QStringLiteral("Word order")},
        {QStringLiteral("scale"), QStringLiteral("Scale")},
        {QStringLiteral("name"), QStringLiteral("Name")},
        {QStringLiteral("max_per_request"), QStringLiteral("Registers per request")}};
    return fieldLabel(path, labels);
}

QSpinBox *spinBox(int lo, int hi, int value, const QString &suffix = {}) {
    auto *box = new QSpinBox;
    box->setRange(lo, hi);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}
} // namespace

ModbusDialog::ModbusDialog(ReadFn read, QWidget *parent)
    : QDialog(parent)
    , m_readFn(std::move(read)) {
    setWindowTitle(tr("Add a Modbus register"));
    m_host = new QLineEdit;
    m_host->setPlaceholderText(QStringLiteral("192.168.1.10"));
    m_port = spinBox(1, 65535, 502);
    m_unitId = spinBox(0, 255, 1);
    m_table = new QComboBox;
    m_table->addItems(modbus::tableNames());
    m_address = spinBox(0, 465536, 0);
    m_modicon = new QCheckBox(tr("Modicon, 1-based (40001 is holding register 0)"));
    m_type = new QComboBox;
    m_type->addItems(modbus::typeNames());
    m_type->setCurrentText(QStringLiteral("uint16"));
    m_order = new QComboBox;
    m_order->addItems(modbus::orderNames());
    m_scale = new QDoubleSpinBox;
    m_scale->setRange(-1e9, 1e9);
    m_scale->setDecimals(6);
    m_scale->setValue(1);
    m_offset = new QDoubleSpinBox;
    m_offset->setRange(-1e9, 1e9);
    m_offset->setDecimals(6);
    m_name = new QLineEdit;
    m_unit = new QLineEdit;
    m_interval = spinBox(50, 3600000, 1000, QStringLiteral(" ms"));
    m_maxPerRequest = spinBox(1, modbus::kMaxRegistersPerRead, modbus::kMaxRegistersPerRead);
    m_test = new QPushButton(tr("Test read"));
    m_result = new QLabel;
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem = new QLabel;
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    auto *device = new QHBoxLayout;
    device->addWidget(m_host, 1);
    device->addWidget(new QLabel(tr("port")));
    device->addWidget(m_port);
    device->addWidget(new QLabel(tr("unit id")));
    device->addWidget(m_unitId);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Host"), device);
    form->addRow(tr("Table"), m_table);
    form->addRow(tr("Address"), m_address);
    form->addRow(QString(), m_modicon);
    form->addRow(tr("Type"), m_type);
    form->addRow(tr("Word order"), m_order);
    form->addRow(tr("Scale"), m_scale);
    form->addRow(tr("Offset"), m_offset);
    form->addRow(m_test, m_result);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Unit"), m_unit);
    form->addRow(tr("Interval"), m_interval);
    form->addRow(tr("Registers per request"), m_maxPerRequest);
    form->addRow(m_problem);
    form->addRow(buttons);
    for (auto *e : {m_host, m_name, m_unit})
        connect(e, &QLineEdit::textChanged, this, &ModbusDialog::check);
    for (auto *b : {m_port, m_unitId, m_address, m_interval, m_maxPerRequest})
        connect(b, &QSpinBox::valueChanged, this, &ModbusDialog::check);
    for (auto *c : {m_table, m_type, m_order})
        connect(c, &QComboBox::currentIndexChanged, this, &ModbusDialog::check);
    for (auto *d : {m_scale, m_offset})
        connect(d, &QDoubleSpinBox::valueChanged, this, &ModbusDialog::check);
    connect(m_modicon, &QCheckBox::toggled, this, &ModbusDialog::check);
    connect(m_test, &QPushButton::clicked, this, &ModbusDialog::test);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    check();
}

std::optional<dashboard::SensorConfig> ModbusDialog::config(QString *problem) const {
    return configNamed(m_name->text().trimmed(), problem);
}

std::optional<dashboard::SensorConfig> ModbusDialog::configNamed(const QString &name,
                                                                 QString *problem) const {
    const bool bits = m_table->currentIndex() >= int(modbus::Table::Coil);
    // The file's own rules, so the dialog and a hand-written file never disagree.
    QJsonObject s{{QStringLiteral("type"), QStringLiteral("modbus")},
                  {QStringLiteral("host"), m_host->text().trimmed()},
                  {QStringLiteral("port"), m_port->value()},
                  {QStringLiteral("unit_id"), m_unitId->value()},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("unit"), m_unit->text().trimmed()},
                  {QStringLiteral("scale"), m_scale->value()},
                  {QStringLiteral("offset"), m_offset->value()},
                  {QStringLiteral("interval_ms"), m_interval->value()},
                  {QStringLiteral("timeout_ms"), std::clamp(m_interval->value() * 2, 500, 10000)},
                  {QStringLiteral("max_per_request"), m_maxPerRequest->value()}};
    if (m_modicon->isChecked()) {
        s.insert(QStringLiteral("modicon"), m_address->value()); // it names the table
    } else {
        s.insert(QStringLiteral("table"), m_table->currentText());
        s.insert(QStringLiteral("address"), m_address->value());
    }
    if (!bits) { // check() has set the table a Modicon reference names
        s.insert(QStringLiteral("data_type"), m_type->currentText());
        s.insert(QStringLiteral("word_order"), m_order->currentText());
    }
    const QJsonObject root{{QStringLiteral("sensors"), QJsonArray{s}}};
    dashboard::ConfigError error;
    auto parsed = dashboard::parseDashboard(QJsonDocument(root).toJson(), &error);
    if (!parsed) {
        *problem = labelFor(error.path) + QStringLiteral(": ") + error.message;
        return std::nullopt;
    }
    problem->clear();
    return parsed->sensors.first();
}

void ModbusDialog::check() {
    if (m_modicon->isChecked()) { // the reference names the table
        if (const auto parsed = modbus::parseModicon(m_address->value(), nullptr))
            m_table->setCurrentIndex(int(parsed->table));
    }
    m_table->setEnabled(!m_modicon->isChecked());
    const bool bits = m_table->currentIndex() >= int(modbus::Table::Coil);
    m_type->setEnabled(!bits);
    m_order->setEnabled(!bits);
    QString why;
    const bool ok = config(&why).has_value();
    m_problem->setText(why);
    m_ok->setEnabled(ok);
    m_test->setEnabled(readable().has_value() && !m_testing && m_readFn);
}

std::optional<dashboard::SensorConfig> ModbusDialog::readable() const {
    // A test read needs the device and the register, not yet a name for them.
    QString why;
    const QString name = m_name->text().trimmed();
    return configNamed(name.isEmpty() ? QStringLiteral("test read") : name, &why);
}

void ModbusDialog::test() {
    const auto c = readable();
    if (!c || !m_readFn)
        return;
    m_testing = true;
    m_test->setEnabled(false);
    m_result->setText(tr("reading %1…").arg(modbus::registerId(c->modbus)));
    QPointer<ModbusDialog> self(this);
    const modbus::RegisterSpec spec = c->modbus;
    m_readFn(spec, [self, spec](const QList<quint16> &words, const QString &error) {
        if (self) // closed while the device was thinking: nothing to show
            self->showRead(spec, words, error);
    });
}

QString ModbusDialog::everyOrder(const modbus::RegisterSpec &spec, const QList<quint16> &words) {
    QStringList raw;
    for (const quint16 w : words)
        raw << QStringLiteral("0x%1").arg(w, 4, 16, QLatin1Char('0'));
    if (words.size() < spec.count())
        return raw.join(u' '); // too few to decode
    if (spec.isBits())
        return raw.join(u' ') + QStringLiteral(" → ") +
               QString::number(modbus::RegisterSensor::valueOf(spec, words));
    QStringList decoded;
    for (const QString &name : modbus::orderNames()) {
        modbus::RegisterSpec s = spec;
        s.wordOrder = *modbus::parseWordOrder(name);
        decoded << name + u' ' + QString::number(modbus::RegisterSensor::valueOf(s, words), 'g', 9);
    }
    // One order a line: the plausible one stands out when they are read down a column.
    return raw.join(u' ') + u'\n' + decoded.join(u'\n');
}

void ModbusDialog::showRead(const modbus::RegisterSpec &spec, const QList<quint16> &words,
                            const QString &error) {
    m_testing = false;
    m_result->setText(error.isEmpty() ? everyOrder(spec, words) : error);
    check();
    adjustSize(); // the lines of every order need room
}

} // namespace vigil::widgets
