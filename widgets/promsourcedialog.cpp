// SPDX-License-Identifier: Apache-2.0
#include "promsourcedialog.h"
#include "fieldlabel.h"

#include "prometheus/promspec.h"

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
/// The file key an error path names, as the dialog labels it.
QString labelFor(const QString &path) {
    static const QList<QPair<QString, QString>> labels = {
        {QStringLiteral("url"), QStringLiteral("Server")},
        {QStringLiteral("query"), QStringLiteral("PromQL")},
        {QStringLiteral("name"), QStringLiteral("Series names")},
        {QStringLiteral("interval_ms"), QStringLiteral("Interval")},
        {QStringLiteral("token_env"), QStringLiteral("Token variable")},
        {QStringLiteral("username"), QStringLiteral("Username")},
        {QStringLiteral("password_env"), QStringLiteral("Password variable")}};
    return fieldLabel(path, labels);
}

/// The most series "Test query" lists.
constexpr int kListed = 50;
} // namespace

PromSourceDialog::PromSourceDialog(QueryFn query, QWidget *parent)
    : QDialog(parent)
    , m_queryFn(std::move(query)) {
    setWindowTitle(tr("Add a Prometheus query"));
    const auto edit = [](const QString &placeholder, const QString &text = {}) {
        auto *e = new QLineEdit(text);
        e->setPlaceholderText(placeholder);
        return e;
    };
    m_url = edit(QStringLiteral("http://127.0.0.1:9090"));
    m_url->setMinimumWidth(m_url->fontMetrics().averageCharWidth() * 56);
    m_query = edit(QStringLiteral("rate(node_cpu_seconds_total{mode=\"user\"}[1m])"));
    m_name = edit(tr("{instance}; empty: the series' labels"));
    m_unit = edit({});
    m_tokenEnv = edit(tr("optional: the variable holding a bearer token"));
    m_username = edit(tr("optional: basic auth"));
    m_passwordEnv = edit(tr("with a username: the variable holding the password"));
    m_interval = new QSpinBox;
    m_interval->setRange(1, 3600);
    m_interval->setValue(5);
    m_interval->setSuffix(QStringLiteral(" s"));
    m_test = new QPushButton(tr("Test query"));
    m_series = new QListWidget;
    m_series->setMaximumHeight(140);
    m_problem = new QLabel;
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Server"), m_url);
    form->addRow(tr("PromQL"), m_query);
    form->addRow(m_test, m_series);
    form->addRow(tr("Series names"), m_name);
    form->addRow(tr("Unit"), m_unit);
    form->addRow(tr("Interval"), m_interval);
    form->addRow(tr("Token variable"), m_tokenEnv);
    form->addRow(tr("Username"), m_username);
    form->addRow(tr("Password variable"), m_passwordEnv);
    form->addRow(m_problem);
    form->addRow(buttons);
    for (auto *e : {m_url, m_query, m_name, m_unit, m_tokenEnv, m_username, m_passwordEnv})
        connect(e, &QLineEdit::textChanged, this, &PromSourceDialog::check);
    connect(m_interval, &QSpinBox::valueChanged, this, &PromSourceDialog::check);
    connect(m_test, &QPushButton::clicked, this, &PromSourceDialog::test);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    check();
}

std::optional<dashboard::SensorConfig> PromSourceDialog::config(QString *problem) const {
    // The file's own rules, so the dialog and a hand-written file never disagree.
    QJsonObject s{{QStringLiteral("type"), QStringLiteral("prometheus")},
                  {QStringLiteral("url"), m_url->text().trimmed()},
                  {QStringLiteral("query"), m_query->text().trimmed()},
                  {QStringLiteral("interval_ms"), m_interval->value() * 1000}};
    const QList<QPair<const char *, QLineEdit *>> texts = {{"name", m_name},
                                                           {"unit", m_unit},
                                                           {"token_env", m_tokenEnv},
                                                           {"username", m_username},
                                                           {"password_env", m_passwordEnv}};
    for (const auto &[key, e] : texts)
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

void PromSourceDialog::check() {
    QString why;
    const bool ok = config(&why).has_value();
    m_problem->setText(why);
    m_ok->setEnabled(ok);
    m_test->setEnabled(ok && !m_testing && m_queryFn);
}

void PromSourceDialog::test() {
    QString why;
    const auto c = config(&why);
    if (!c || !m_queryFn)
        return;
    m_testing = true;
    m_test->setEnabled(false);
    m_series->clear();
    m_series->addItem(tr("asking %1…").arg(c->prometheus.url));
    QPointer<PromSourceDialog> self(this);
    m_queryFn(*c, [self](const prometheus::PromResult &result) {
        if (self) // closed while Prometheus was thinking: nothing to show
            self->showResult(result);
    });
}

void PromSourceDialog::showResult(const prometheus::PromResult &result) {
    m_testing = false;
    m_series->clear();
    if (!result.ok()) {
        m_problem->setText(result.message());
    } else if (result.series.isEmpty()) {
        m_series->addItem(tr("no series now (the query is valid)"));
    } else {
        m_series->addItem(tr("%n series", nullptr, int(result.series.size())));
        for (qsizetype i = 0; i < result.series.size() && i < kListed; ++i) {
            const auto &s = result.series[i];
            const QString name = prometheus::promSeriesName(m_name->text().trimmed(), s.labels);
            const double v = s.samples.isEmpty() ? 0 : s.samples.constLast().value;
            m_series->addItem(
                QStringLiteral("%1 = %2").arg(name.isEmpty() ? s.key() : name).arg(v));
        }
    }
    m_test->setEnabled(m_queryFn != nullptr);
}

} // namespace vigil::widgets
