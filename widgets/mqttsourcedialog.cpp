// SPDX-License-Identifier: Apache-2.0
#include "mqttsourcedialog.h"
#include "fieldlabel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>

namespace vigil::widgets {

namespace {
using namespace std::chrono_literals;

/// "temp=/s/t, rh=/s/h" as the file's fields object; false when a part is not name=pointer.
bool parseFields(const QString &text, QJsonObject &out) {
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(u'=');
        if (eq <= 0)
            return false;
        out.insert(part.left(eq).trimmed(), part.mid(eq + 1).trimmed());
    }
    return true;
}

/// The file key an error path names, as the dialog labels it.
QString labelFor(const QString &path) {
    static const QList<QPair<QString, QString>> labels = {
        {QStringLiteral("broker"), QStringLiteral("Broker")},
        {QStringLiteral("topic"), QStringLiteral("Topic filter")},
        {QStringLiteral("fields"), QStringLiteral("Fields")},
        {QStringLiteral("timestamp"), QStringLiteral("Timestamp pointer")},
        {QStringLiteral("name"), QStringLiteral("Series names")},
        {QStringLiteral("ca_file"), QStringLiteral("CA file")},
        {QStringLiteral("cert_file"), QStringLiteral("Client certificate")},
        {QStringLiteral("key_file"), QStringLiteral("Client key")},
        {QStringLiteral("username"), QStringLiteral("Username")}};
    return fieldLabel(path, labels);
}
} // namespace

MqttSourceDialog::MqttSourceDialog(DiscoverFn discover, QWidget *parent)
    : QDialog(parent)
    , m_discoverFn(std::move(discover)) {
    setWindowTitle(tr("Add an MQTT topic"));
    const auto edit = [](const QString &placeholder, const QString &text = {}) {
        auto *e = new QLineEdit(text);
        e->setPlaceholderText(placeholder);
        return e;
    };
    m_broker = edit(QStringLiteral("mqtt://127.0.0.1:1883 or mqtts://broker:8883"));
    m_broker->setMinimumWidth(m_broker->fontMetrics().averageCharWidth() * 56);
    m_username = edit(tr("optional"));
    m_password = edit(tr("kept in memory only, never saved"));
    m_password->setEchoMode(QLineEdit::Password);
    m_topic = edit(QStringLiteral("plant/+/state"));
    m_fields = edit(tr("bare numbers; or temp=/t, rh=/h"));
    m_timestamp = edit(tr("receive time; or /ts"));
    m_name = edit(QStringLiteral("{topic}/{field}"));
    m_unit = edit({});
    m_ca = edit(tr("mqtts: the system's CAs"));
    m_cert = edit(tr("mqtts: optional"));
    m_key = edit(tr("mqtts: optional"));
    m_qos = new QComboBox;
    m_qos->addItems({QStringLiteral("0"), QStringLiteral("1")});
    m_interval = new QSpinBox;
    m_interval->setRange(0, 86400000);
    m_interval->setSuffix(QStringLiteral(" ms"));
    m_interval->setSpecialValueText(tr("never stale"));
    m_discover = new QPushButton(tr("Discover topics (5 s)"));
    m_topics = new QListWidget;
    m_topics->setMaximumHeight(120);
    m_problem = new QLabel;
    m_problem->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Broker"), m_broker);
    form->addRow(tr("Username"), m_username);
    form->addRow(tr("Password"), m_password);
    form->addRow(tr("Topic filter"), m_topic);
    form->addRow(m_discover, m_topics);
    form->addRow(tr("Fields"), m_fields);
    form->addRow(tr("Timestamp pointer"), m_timestamp);
    form->addRow(tr("Series names"), m_name);
    form->addRow(tr("Unit"), m_unit);
    form->addRow(tr("QoS"), m_qos);
    form->addRow(tr("Expected interval"), m_interval);
    form->addRow(tr("CA file"), m_ca);
    form->addRow(tr("Client certificate"), m_cert);
    form->addRow(tr("Client key"), m_key);
    form->addRow(m_problem);
    form->addRow(buttons);
    for (auto *e : {m_broker, m_username, m_password, m_topic, m_fields, m_timestamp, m_name,
                    m_unit, m_ca, m_cert, m_key})
        connect(e, &QLineEdit::textChanged, this, &MqttSourceDialog::check);
    connect(m_interval, &QSpinBox::valueChanged, this, &MqttSourceDialog::check);
    connect(m_discover, &QPushButton::clicked, this, &MqttSourceDialog::discover);
    connect(m_topics, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        m_topic->setText(item->data(Qt::UserRole).toString());
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    check();
}

std::optional<dashboard::SensorConfig> MqttSourceDialog::config(QString *problem) const {
    // The file's own rules, so the dialog and a hand-written file never disagree.
    QJsonObject fields;
    if (!parseFields(m_fields->text(), fields)) {
        *problem = tr("Fields: write name=/pointer, name=/pointer");
        return std::nullopt;
    }
    QJsonObject s{{QStringLiteral("type"), QStringLiteral("mqtt")},
                  {QStringLiteral("broker"), m_broker->text().trimmed()},
                  {QStringLiteral("topic"), m_topic->text().trimmed()},
                  {QStringLiteral("qos"), m_qos->currentIndex()},
                  {QStringLiteral("expected_interval_ms"), m_interval->value()}};
    const QList<QPair<const char *, QLineEdit *>> texts = {
        {"timestamp", m_timestamp}, {"name", m_name},  {"unit", m_unit},
        {"username", m_username},   {"ca_file", m_ca}, {"cert_file", m_cert},
        {"key_file", m_key}};
    for (const auto &[key, e] : texts)
        if (!e->text().trimmed().isEmpty())
            s.insert(QLatin1String(key), e->text().trimmed());
    if (!fields.isEmpty())
        s.insert(QStringLiteral("fields"), fields);
    const QJsonObject root{{QStringLiteral("sensors"), QJsonArray{s}}};
    dashboard::ConfigError error;
    auto parsed = dashboard::parseDashboard(QJsonDocument(root).toJson(), &error);
    if (!parsed) {
        *problem = labelFor(error.path) + QStringLiteral(": ") + error.message;
        return std::nullopt;
    }
    dashboard::SensorConfig c = parsed->sensors.first();
    c.mqtt.password = m_password->text(); // in memory only: the file has no place for it
    problem->clear();
    return c;
}

void MqttSourceDialog::check() {
    QString why;
    const bool ok = config(&why).has_value();
    m_problem->setText(why);
    m_ok->setEnabled(ok);
    m_discover->setEnabled(!m_discovering && !m_broker->text().trimmed().isEmpty() && m_discoverFn);
}

void MqttSourceDialog::discover() {
    // What is typed so far, even if another field is still wrong: the broker, credentials and
    // TLS files, and the filter when it is one (else everything, "#").
    mqtt::MqttSpec spec;
    spec.broker = m_broker->text().trimmed();
    spec.username = m_username->text().trimmed();
    spec.password = m_password->text();
    spec.caFile = m_ca->text().trimmed();
    spec.certFile = m_cert->text().trimmed();
    spec.keyFile = m_key->text().trimmed();
    spec.topic = m_topic->text().trimmed();
    if (!mqtt::topicFilterProblem(spec.topic).isEmpty())
        spec.topic = QStringLiteral("#");
    m_discovering = true;
    m_discover->setEnabled(false);
    m_topics->clear();
    m_topics->addItem(tr("listening to %1 for 5 s…").arg(spec.topic));
    QPointer<MqttSourceDialog> self(this);
    m_discoverFn(spec, [self](const mqtt::Discovery &found) {
        if (self) // the dialog may be gone by now
            self->showDiscovery(found);
    });
}

void MqttSourceDialog::showDiscovery(const mqtt::Discovery &found) {
    m_topics->clear();
    m_discovering = false;
    check();
    if (!found.error.isEmpty())
        m_topics->addItem(tr("no topics: %1").arg(found.error));
    else if (found.topics.isEmpty())
        m_topics->addItem(tr("no message in 5 s"));
    for (const auto &t : found.topics) {
        // One arg() with every part: a topic or payload holding "%2" stays as it is.
        auto *item = new QListWidgetItem(tr("%1 — %2 msg/s%3 — %4")
                                             .arg(t.topic, QString::number(t.perSecond, 'f', 1),
                                                  t.retained ? tr(", retained") : QString(),
                                                  QString::fromUtf8(t.lastPayload.left(60))));
        item->setData(Qt::UserRole, t.topic);
        m_topics->addItem(item);
    }
}

} // namespace vigil::widgets
