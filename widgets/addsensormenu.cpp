// SPDX-License-Identifier: Apache-2.0
#include "addsensormenu.h"
#include "linesourcedialog.h"
#include "modbusdialog.h"
#include "mqttsourcedialog.h"
#include "promsourcedialog.h"

#include "net/jsonpointer.h"
#include "sensors/simulatedsensor.h"
#include "sensors/systemsensor.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace vigil::widgets {

AddSensorMenu::AddSensorMenu(async::Clock &clock, AddFn add, QWidget *parent)
    : QMenu(parent)
    , m_clock(clock)
    , m_add(std::move(add)) {
    addAction(tr("Unreliable level sensor (simulated, mostly times out)"), this,
              [this] { m_add(dashboard::simulatedSensorConfig(sensors::unreliableSensorSpec())); });
    addAction(tr("Instrument (simulated: connect, read, disconnect)"), this, [this] {
        dashboard::SensorConfig c;
        c.type = QStringLiteral("instrument");
        c.name = QStringLiteral("Probe_1");
        c.unit = QStringLiteral("mV");
        c.seed = 21;
        m_add(c);
    });
    auto *machine = addMenu(tr("This machine"));
    connect(machine, &QMenu::aboutToShow, this, [this, machine] { fillMachineMenu(machine); });
    auto *demo = addMenu(tr("Demo API over HTTP"));
    for (const auto *name : {"Reactor_Temp", "Reactor_Press", "Feed_Flow", "Coolant_Temp"}) {
        demo->addAction(QString::fromLatin1(name), this, [this, name] {
            if (!m_demoUrl)
                return;
            dashboard::SensorConfig c;
            c.type = QStringLiteral("http_json");
            c.name = QStringLiteral("HTTP ") + QLatin1String(name);
            c.url =
                QUrl(m_demoUrl().toString() + QStringLiteral("/sensors/") + QLatin1String(name));
            c.pointer = QStringLiteral("/value");
            c.intervalMs = 1000;
            c.timeoutMs = 800;
            m_add(c);
        });
    }
    addAction(tr("HTTP JSON endpoint…"), this, &AddSensorMenu::askForHttpSensor);
    addAction(tr("MQTT topic…"), this, &AddSensorMenu::askForMqttSource);
    addAction(tr("Prometheus query…"), this, &AddSensorMenu::askForPromSource);
    addAction(tr("Modbus register…"), this, &AddSensorMenu::askForModbusRegister);
    addAction(tr("Serial / TCP / UDP lines…"), this, [this] {
        LineSourceDialog dialog(parentWidget());
        QString why;
        if (dialog.exec() == QDialog::Accepted)
            if (const auto config = dialog.config(&why))
                m_add(*config);
    });
}

void AddSensorMenu::askForModbusRegister() {
    ModbusDialog dialog(m_modbusRead, parentWidget());
    QString why;
    if (dialog.exec() == QDialog::Accepted)
        if (const auto config = dialog.config(&why))
            m_add(*config);
}

void AddSensorMenu::askForPromSource() {
    PromSourceDialog dialog(m_promQuery, parentWidget());
    QString why;
    if (dialog.exec() == QDialog::Accepted)
        if (const auto config = dialog.config(&why))
            m_add(*config);
}

void AddSensorMenu::askForMqttSource() {
    MqttSourceDialog dialog(m_discover, parentWidget());
    QString why;
    if (dialog.exec() == QDialog::Accepted)
        if (const auto config = dialog.config(&why))
            m_add(*config);
}

void AddSensorMenu::fillMachineMenu(QMenu *menu) {
    menu->clear();
    const auto found = sensors::discoverSystemSensors(QStringLiteral("/"), m_clock);
    if (found.isEmpty())
        menu->addAction(tr("(none found)"))->setEnabled(false);
    for (const auto &s : found) {
        menu->addAction(s->unit().isEmpty() ? s->name()
                                            : s->name() + QStringLiteral(" (") + s->unit() + u')',
                        this, [this, id = s->id()] {
                            dashboard::SensorConfig c;
                            c.type = QStringLiteral("system");
                            c.systemId = id;
                            c.intervalMs = 1000;
                            c.timeoutMs = 1000;
                            m_add(c);
                        });
    }
}

std::optional<dashboard::SensorConfig>
AddSensorMenu::httpSensorConfig(const QString &name, const QString &unit, const QString &url,
                                const QString &pointer, int intervalMs, int timeoutMs,
                                QString *problem) {
    dashboard::SensorConfig c;
    c.type = QStringLiteral("http_json");
    c.name = name.trimmed();
    c.unit = unit.trimmed();
    c.url = QUrl(url.trimmed(), QUrl::StrictMode);
    c.pointer = pointer.trimmed();
    c.intervalMs = intervalMs;
    c.timeoutMs = timeoutMs;
    if (c.name.isEmpty())
        *problem = tr("Name: give the sensor a name");
    else if (!c.url.isValid() || c.url.host().isEmpty() ||
             (c.url.scheme() != QLatin1String("http") && c.url.scheme() != QLatin1String("https")))
        *problem = tr("URL: must be an http:// or https:// URL");
    else if (const QString p = net::jsonPointerSyntaxError(c.pointer);
             !p.isEmpty() || c.pointer.isEmpty())
        *problem =
            tr("JSON pointer: %1").arg(p.isEmpty() ? tr("point at the number, e.g. /value") : p);
    else if (timeoutMs >= intervalMs * 10)
        *problem = tr("Timeout: keep it below ten intervals");
    else
        return c;
    return std::nullopt;
}

void AddSensorMenu::askForHttpSensor() {
    QDialog dialog(parentWidget());
    dialog.setWindowTitle(tr("Add an HTTP JSON sensor"));
    auto *name = new QLineEdit;
    auto *unit = new QLineEdit;
    auto *url = new QLineEdit;
    url->setObjectName(QStringLiteral("url"));
    url->setPlaceholderText(QStringLiteral("https://api.example.org/weather"));
    // Real endpoints are long: about 20 characters of one is no help when checking it.
    url->setMinimumWidth(url->fontMetrics().averageCharWidth() * 64);
    auto *pointer = new QLineEdit(QStringLiteral("/value"));
    auto *interval = new QSpinBox;
    interval->setRange(100, 3600000);
    interval->setValue(2000);
    interval->setSuffix(QStringLiteral(" ms"));
    auto *timeout = new QSpinBox;
    timeout->setRange(50, 600000);
    timeout->setValue(1500);
    timeout->setSuffix(QStringLiteral(" ms"));
    auto *problem = new QLabel;
    problem->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("Name"), name);
    form->addRow(tr("Unit"), unit);
    form->addRow(tr("URL"), url);
    form->addRow(tr("JSON pointer"), pointer);
    form->addRow(tr("Interval"), interval);
    form->addRow(tr("Timeout"), timeout);
    form->addRow(problem);
    form->addRow(buttons);
    std::optional<dashboard::SensorConfig> config;
    const auto check = [&] {
        QString why;
        config = httpSensorConfig(name->text(), unit->text(), url->text(), pointer->text(),
                                  interval->value(), timeout->value(), &why);
        problem->setText(why);
        buttons->button(QDialogButtonBox::Ok)->setEnabled(config.has_value());
    };
    for (auto *edit : {name, unit, url, pointer})
        connect(edit, &QLineEdit::textChanged, &dialog, check);
    connect(interval, &QSpinBox::valueChanged, &dialog, check);
    connect(timeout, &QSpinBox::valueChanged, &dialog, check);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    check();
    if (dialog.exec() == QDialog::Accepted && config)
        m_add(*config);
}

} // namespace vigil::widgets
