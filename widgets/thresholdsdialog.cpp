// SPDX-License-Identifier: Apache-2.0
#include "thresholdsdialog.h"

#include "dashboard/monitoringsession.h"
#include "sensors/sensorhub.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QSpinBox>

#include <cmath>

namespace vigil::widgets {

namespace {
std::optional<double> sensors::Thresholds::*const kMembers[] = {
    &sensors::Thresholds::lowAlarm, &sensors::Thresholds::lowWarn, &sensors::Thresholds::highWarn,
    &sensors::Thresholds::highAlarm};
const char *const kLabels[] = {QT_TRANSLATE_NOOP("ThresholdsDialog", "Low alarm below"),
                               QT_TRANSLATE_NOOP("ThresholdsDialog", "Low warning below"),
                               QT_TRANSLATE_NOOP("ThresholdsDialog", "High warning above"),
                               QT_TRANSLATE_NOOP("ThresholdsDialog", "High alarm above")};

/// The number in @p text in the C locale or the user's: dashboard files use a dot.
std::optional<double> parseNumber(const QString &text, bool *ok) {
    *ok = true;
    const QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    bool parsed = false;
    double v = t.toDouble(&parsed);
    if (!parsed)
        v = QLocale().toDouble(t, &parsed);
    if (!parsed || !std::isfinite(v)) {
        *ok = false;
        return std::nullopt;
    }
    return v;
}
} // namespace

ThresholdsDialog::ThresholdsDialog(const QString &sensorName, const QString &unit,
                                   const sensors::Thresholds &thresholds, QWidget *parent)
    : QDialog(parent)
    , m_deadband(new QDoubleSpinBox)
    , m_delay(new QSpinBox)
    , m_problem(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel)) {
    setWindowTitle(tr("Alarms of %1").arg(sensorName));
    auto *form = new QFormLayout(this);
    form->addRow(new QLabel(tr("Leave a field empty for no bound. Values in %1.")
                                .arg(unit.isEmpty() ? tr("the sensor's unit") : unit)));
    for (int b = 0; b < BoundCount; ++b) {
        m_bounds[b] = new QLineEdit;
        m_bounds[b]->setClearButtonEnabled(true);
        if (const auto &v = thresholds.*kMembers[b])
            m_bounds[b]->setText(QString::number(*v, 'g', 12));
        connect(m_bounds[b], &QLineEdit::textChanged, this, &ThresholdsDialog::check);
        form->addRow(tr(kLabels[b]), m_bounds[b]);
    }
    m_deadband->setRange(0, 1e9);
    m_deadband->setDecimals(3);
    m_deadband->setValue(thresholds.deadband);
    m_deadband->setSuffix(unit.isEmpty() ? QString() : u' ' + unit);
    m_deadband->setToolTip(tr("A level drops only once the value is back inside its bound by this "
                              "much, so a value sitting on a bound does not flip the alarm"));
    form->addRow(tr("Deadband"), m_deadband);
    m_delay->setRange(0, sensors::kMaxAlarmDelayS);
    m_delay->setValue(thresholds.delayS);
    m_delay->setSuffix(tr(" s"));
    m_delay->setSpecialValueText(tr("at once"));
    m_delay->setToolTip(tr("Raise a warning or alarm only once the value stayed beyond its "
                           "bound this long"));
    form->addRow(tr("Raise after"), m_delay);
    connect(m_deadband, &QDoubleSpinBox::valueChanged, this, &ThresholdsDialog::check);
    m_problem->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    m_problem->setWordWrap(true);
    form->addRow(m_problem);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    check();
}

ThresholdsDialog *ThresholdsDialog::openFor(dashboard::MonitoringSession &session,
                                            const QString &id, QWidget *parent) {
    auto &hub = session.hub();
    if (!hub.contains(id))
        return nullptr;
    const auto sensor = hub.sensor(id);
    auto *dialog = new ThresholdsDialog(sensor->name(), sensor->unit(), hub.thresholds(id), parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, &session,
            [&session, id, dialog] { session.setThresholds(id, dialog->thresholds()); });
    dialog->open();
    return dialog;
}

sensors::Thresholds ThresholdsDialog::thresholds() const {
    sensors::Thresholds t;
    for (int b = 0; b < BoundCount; ++b) {
        bool ok = false;
        t.*kMembers[b] = parseNumber(m_bounds[b]->text(), &ok);
    }
    t.deadband = m_deadband->value();
    t.delayS = m_delay->value();
    return t;
}

QString ThresholdsDialog::problem() const {
    for (int b = 0; b < BoundCount; ++b) {
        bool ok = false;
        (void)parseNumber(m_bounds[b]->text(), &ok);
        if (!ok)
            return tr("%1: \"%2\" is not a number").arg(tr(kLabels[b]), m_bounds[b]->text());
    }
    return thresholds().problem();
}

void ThresholdsDialog::check() {
    const QString why = problem();
    m_problem->setText(why);
    m_problem->setVisible(!why.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

void ThresholdsDialog::accept() {
    if (problem().isEmpty())
        QDialog::accept();
}

QMenu *popupThresholdsMenu(QWidget *parent, const QList<QPair<QString, QString>> &sensors,
                           const QPoint &globalPos, std::function<void(const QString &)> open,
                           const std::function<void(QMenu *)> &extend) {
    auto *menu = new QMenu(parent);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    for (const auto &[id, name] : sensors)
        menu->addAction(ThresholdsDialog::tr("Alarms of %1…").arg(name), menu,
                        [open, id = id] { open(id); });
    if (extend)
        extend(menu);
    // popup(), not exec(): no nested event loop while the charts keep ticking.
    menu->popup(globalPos);
    return menu;
}

} // namespace vigil::widgets
