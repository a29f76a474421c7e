// SPDX-License-Identifier: Apache-2.0
#include "linesourcedialog.h"
#include "fieldlabel.h"

#include "dashboard/monitoringsession.h"
#include "lines/linessource.h"
#include "sensors/sensorhub.h"
#include "sensors/streamseries.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSerialPortInfo>
#include <QSpinBox>

namespace vigil::widgets {

namespace {
QString labelFor(const QString &path) {
    static const QList<QPair<QString, QString>> labels = {
        {QStringLiteral("device"), QStringLiteral("Port")},
        {QStringLiteral("url"), QStringLiteral("Address")},
        {QStringLiteral("baud"), QStringLiteral("Baud")},
        {QStringLiteral("framing"), QStringLiteral("Framing")},
        {QStringLiteral("columns"), QStringLiteral("Columns")},
        {QStringLiteral("fields"), QStringLiteral("Fields")},
        {QStringLiteral("timestamp"), QStringLiteral("Timestamp")},
        {QStringLiteral("expected_interval_ms"), QStringLiteral("Stale after")}};
    return fieldLabel(path, labels);
}

QComboBox *editableBox(const QStringList &items, const QString &current) {
    auto *box = new QComboBox;
    box->setEditable(true);
    box->addItems(items);
    box->setCurrentText(current);
    return box;
}

QStringList splitList(const QString &text) {
    QStringList out;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            out << part.trimmed();
    return out;
}
} // namespace

LineSourceDialog::LineSourceDialog(QWidget *parent)
    : QDialog(parent) {
    setWindowTitle(tr("Add serial, TCP or UDP lines"));
    m_transport = new QComboBox;
    m_transport->addItems({QStringLiteral("serial"), QStringLiteral("tcp"), QStringLiteral("udp")});
    QStringList ports;
    for (const auto &info : QSerialPortInfo::availablePorts())
        ports << info.systemLocation();
    m_port = editableBox(ports, ports.value(0));
    m_port->lineEdit()->setPlaceholderText(QStringLiteral("/dev/ttyUSB0"));
    m_url = new QLineEdit;
    m_url->setMinimumWidth(m_url->fontMetrics().averageCharWidth() * 44); // room for the hints
    m_baud =
        editableBox({QStringLiteral("9600"), QStringLiteral("19200"), QStringLiteral("38400"),
                     QStringLiteral("57600"), QStringLiteral("115200"), QStringLiteral("230400"),
                     QStringLiteral("460800"), QStringLiteral("921600")},
                    QStringLiteral("115200"));
    m_framing = editableBox({QStringLiteral("8N1"), QStringLiteral("8E1"), QStringLiteral("8O1"),
                             QStringLiteral("7E1"), QStringLiteral("8N2")},
                            QStringLiteral("8N1"));
    m_format = new QComboBox;
    m_format->addItems({QStringLiteral("csv"), QStringLiteral("kv"), QStringLiteral("json")});
    m_columns = new QLineEdit;
    m_columns->setPlaceholderText(tr("empty: the first line is the header"));
    m_fields = new QLineEdit;
    m_fields->setPlaceholderText(QStringLiteral("temp=/s/t, rh=/s/h"));
    m_timestamp = new QLineEdit;
    m_timestamp->setPlaceholderText(tr("optional: a column, key or pointer"));
    m_name = new QLineEdit;
    m_name->setPlaceholderText(tr("{field}"));
    m_unit = new QLineEdit;
    m_expected = new QSpinBox;
    m_expected->setRange(0, 3600000);
    m_expected->setSuffix(QStringLiteral(" ms"));
    m_expected->setSpecialValueText(tr("never"));
    m_problem = new QLabel;
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Transport"), m_transport);
    form->addRow(tr("Port"), m_port);
    form->addRow(tr("Baud"), m_baud);
    form->addRow(tr("Framing"), m_framing);
    form->addRow(tr("Address"), m_url);
    form->addRow(tr("Format"), m_format);
    form->addRow(tr("Columns"), m_columns);
    form->addRow(tr("Fields"), m_fields);
    form->addRow(tr("Timestamp"), m_timestamp);
    form->addRow(tr("Series names"), m_name);
    form->addRow(tr("Unit"), m_unit);
    form->addRow(tr("Stale after"), m_expected);
    form->addRow(m_problem);
    form->addRow(buttons);
    for (auto *c : {m_transport, m_port, m_baud, m_framing, m_format})
        connect(c, &QComboBox::currentTextChanged, this, &LineSourceDialog::check);
    for (auto *e : {m_url, m_columns, m_fields, m_timestamp, m_name, m_unit})
        connect(e, &QLineEdit::textChanged, this, &LineSourceDialog::check);
    connect(m_expected, &QSpinBox::valueChanged, this, &LineSourceDialog::check);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    check();
}

std::optional<dashboard::SensorConfig> LineSourceDialog::config(QString *problem) const {
    const QString transport = m_transport->currentText();
    // The file's own rules, so the dialog and a hand-written file never disagree.
    QJsonObject s{{QStringLiteral("type"), QStringLiteral("lines")},
                  {QStringLiteral("transport"), transport},
                  {QStringLiteral("format"), m_format->currentText()},
                  {QStringLiteral("expected_interval_ms"), m_expected->value()}};
    if (transport == QLatin1String("serial")) {
        s.insert(QStringLiteral("device"), m_port->currentText().trimmed());
        bool ok = false;
        const int baud = m_baud->currentText().toInt(&ok);
        s.insert(QStringLiteral("baud"), ok ? QJsonValue(baud) : QJsonValue(m_baud->currentText()));
        s.insert(QStringLiteral("framing"), m_framing->currentText().trimmed().toUpper());
    } else {
        s.insert(QStringLiteral("url"), m_url->text().trimmed());
    }
    // Only the format's own box counts: a greyed-out one must not block OK.
    const QString format = m_format->currentText();
    if (const QStringList columns = splitList(m_columns->text());
        !columns.isEmpty() && format == QLatin1String("csv"))
        s.insert(QStringLiteral("columns"), QJsonArray::fromStringList(columns));
    QJsonObject fields;
    for (const QString &pair :
         format == QLatin1String("json") ? splitList(m_fields->text()) : QStringList())
        fields.insert(pair.section(u'=', 0, 0).trimmed(), pair.section(u'=', 1).trimmed());
    if (!fields.isEmpty())
        s.insert(QStringLiteral("fields"), fields);
    for (const auto &[key, e] : {std::pair{"timestamp", m_timestamp}, std::pair{"name", m_name},
                                 std::pair{"unit", m_unit}})
        if (!e->text().trimmed().isEmpty())
            s.insert(QLatin1String(key), e->text().trimmed());
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

void LineSourceDialog::check() {
    const bool serial = m_transport->currentText() == QLatin1String("serial");
    m_port->setEnabled(serial);
    m_baud->setEnabled(serial);
    m_framing->setEnabled(serial);
    m_url->setEnabled(!serial);
    m_url->setPlaceholderText(m_transport->currentText() == QLatin1String("udp")
                                  ? QStringLiteral("udp://127.0.0.1:9870 (listened on)")
                                  : QStringLiteral("tcp://192.168.1.20:4001"));
    m_columns->setEnabled(m_format->currentText() == QLatin1String("csv"));
    m_fields->setEnabled(m_format->currentText() == QLatin1String("json"));
    QString why;
    m_ok->setEnabled(config(&why).has_value());
    m_problem->setText(why);
}

void addLineCommandAction(QMenu *menu, dashboard::MonitoringSession &session,
                          const QString &seriesId, std::function<void(const QString &)> log) {
    const auto sensor = session.hub().sensor(seriesId);
    const auto *series = dynamic_cast<const sensors::StreamSeries *>(sensor.get());
    if (!series)
        return;
    const QString sourceId = series->sourceId();
    for (auto *source : session.lineSources()) {
        if (source->id() != sourceId || source->spec().transport == lines::Transport::Udp)
            continue;
        const QString where = source->spec().where();
        menu->addAction(
            QObject::tr("Send a line to %1…").arg(where), menu,
            [&session, sourceId, where, log, parent = menu->parentWidget()] {
                // Not exec(): no nested event loop while the charts keep ticking.
                auto *ask = new QInputDialog(parent);
                ask->setAttribute(Qt::WA_DeleteOnClose);
                ask->setWindowTitle(QObject::tr("Send a line"));
                ask->setLabelText(QObject::tr("Line for %1 (a newline is added):").arg(where));
                QObject::connect(ask, &QInputDialog::textValueSelected, ask,
                                 [&session, sourceId, where, log](const QString &text) {
                                     QString why;
                                     log(session.writeLine(sourceId, text.toUtf8(), &why)
                                             ? QObject::tr("Sent to %1: %2").arg(where, text)
                                             : QObject::tr("Not sent to %1: %2").arg(where, why));
                                 });
                ask->open();
            });
    }
}

} // namespace vigil::widgets
