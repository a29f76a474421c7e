// SPDX-License-Identifier: Apache-2.0
#include "metricsendpoint.h"

#include "privatesettings.h"

#include "metrics/metricsserver.h"
#include "metrics/vigilmetrics.h"
#include "sensors/sensorhub.h"

#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>

namespace vigil::widgets {

namespace {
constexpr auto kEnabledKey = "metrics/enabled";
constexpr auto kPortKey = "metrics/port";
constexpr auto kAddressKey = "metrics/address";
} // namespace

MetricsSettings MetricsSettings::load() {
    const QSettings s;
    MetricsSettings m;
    m.enabled = s.value(QLatin1String(kEnabledKey), false).toBool();
    m.port = quint16(s.value(QLatin1String(kPortKey), m.port).toUInt());
    m.address = s.value(QLatin1String(kAddressKey), m.address).toString();
    return m;
}

void MetricsSettings::save() const {
    storePrivateSetting(QLatin1String(kEnabledKey), enabled);
    storePrivateSetting(QLatin1String(kPortKey), port);
    storePrivateSetting(QLatin1String(kAddressKey), address);
}

MetricsEndpoint::MetricsEndpoint(Sources sources, QObject *parent)
    : QObject(parent)
    , m_sources(std::move(sources)) {}

void MetricsEndpoint::collectOnce() {
    // Only once /metrics is first switched on: until then no reading pays for a latency
    // histogram, and no probe wakes the loop for it.
    if (std::exchange(m_collecting, true))
        return;
    metrics::addSensorMetrics(m_registry, m_sources.hub);
    metrics::addTransferMetrics(m_registry, this, metrics::TransferKind::Batch, m_sources.batch);
    metrics::addTransferMetrics(m_registry, this, metrics::TransferKind::Download,
                                m_sources.downloads);
    metrics::addLoopLagMetrics(m_registry, this, m_sources.lagProbe);
}

MetricsEndpoint::~MetricsEndpoint() = default;

bool MetricsEndpoint::apply(const MetricsSettings &settings, QString *error) {
    if (!settings.enabled) {
        m_server.reset();
        m_settings = settings;
        Q_EMIT stateChanged({});
        return true;
    }
    if (m_server && settings == m_settings)
        return true; // already serving so: a second server could not take the port
    const QHostAddress address(settings.address);
    if (address.isNull()) {
        *error = tr("'%1' is not an IP address").arg(settings.address);
        return false;
    }
    collectOnce();
    // The new server first: when it cannot listen, the one serving now goes on as it was.
    auto server = std::make_unique<metrics::MetricsServer>(m_registry);
    bool listening = server->listen(address, settings.port);
    if (!listening && m_server && m_server->port() == settings.port) {
        // The same port on another address: the old server holds it, so it goes first, and
        // comes back if the new one still cannot listen.
        const MetricsSettings old = m_settings;
        m_server.reset();
        listening = server->listen(address, settings.port);
        if (!listening) {
            auto back = std::make_unique<metrics::MetricsServer>(m_registry);
            if (back->listen(QHostAddress(old.address), old.port))
                m_server = std::move(back);
            else
                m_settings.enabled = false;
        }
    }
    if (!listening) {
        *error = server->errorString();
        Q_EMIT stateChanged(m_server ? stateText() : QString());
        return false;
    }
    m_server = std::move(server);
    m_settings = settings;
    Q_EMIT stateChanged(stateText());
    return true;
}

QString MetricsEndpoint::stateText() const {
    return m_server ? tr("/metrics on %1:%2").arg(m_settings.address).arg(m_server->port())
                    : QString();
}

QString MetricsEndpoint::url() const {
    return m_server ? m_server->url() : QString();
}

void startMetricsFromSettings(MetricsEndpoint &endpoint, QStatusBar &bar) {
    auto *label = new QLabel;
    label->setObjectName(QStringLiteral("metricsState"));
    label->setVisible(false);
    bar.addPermanentWidget(label);
    QObject::connect(&endpoint, &MetricsEndpoint::stateChanged, label, [label](const QString &t) {
        label->setText(t);
        label->setVisible(!t.isEmpty());
    });
    const MetricsSettings saved = MetricsSettings::load();
    QString error;
    if (saved.enabled && !endpoint.apply(saved, &error))
        bar.showMessage(QObject::tr("Prometheus metrics are off: %1").arg(error), 30000);
}

QDialog *editMetricsSettings(MetricsEndpoint &endpoint, QWidget *parent) {
    auto *dialog = new QDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("metricsSettings"));
    dialog->setWindowTitle(QObject::tr("Prometheus metrics"));
    auto *form = new QFormLayout(dialog);
    auto *enabled = new QCheckBox(QObject::tr("Serve /metrics for Prometheus to scrape"));
    auto *port = new QSpinBox;
    port->setRange(1, 65535);
    auto *address = new QLineEdit;
    auto *warning = new QLabel;
    warning->setObjectName(QStringLiteral("metricsWarning"));
    warning->setWordWrap(true);
    const MetricsSettings current = endpoint.settings();
    enabled->setChecked(current.enabled);
    port->setValue(current.port);
    address->setText(current.address);
    form->addRow(enabled);
    form->addRow(QObject::tr("Port:"), port);
    form->addRow(QObject::tr("Address:"), address);
    form->addRow(warning);
    const auto showWarning = [=] {
        const QHostAddress a(address->text().trimmed());
        warning->setText(a.isNull()
                             ? QObject::tr("Not an IP address.")
                             : metrics::MetricsServer::exposureWarning(a, quint16(port->value())));
    };
    QObject::connect(address, &QLineEdit::textChanged, dialog, showWarning);
    QObject::connect(port, &QSpinBox::valueChanged, dialog, showWarning);
    showWarning();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, [=, &endpoint] {
        const MetricsSettings chosen{enabled->isChecked(), quint16(port->value()),
                                     address->text().trimmed()};
        QString error;
        if (!endpoint.apply(chosen, &error)) {
            warning->setText(error); // stays open: the user fixes the port or the address
            return;
        }
        chosen.save();
        dialog->accept();
    });
    dialog->open(); // not exec(): the charts keep ticking
    return dialog;
}

} // namespace vigil::widgets
