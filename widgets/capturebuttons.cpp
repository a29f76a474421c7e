#include "capturebuttons.h"

#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QToolButton>

namespace vigil::widgets {

CaptureButtons::CaptureButtons(Actions actions, QWidget *parent)
    : QWidget(parent)
    , m_actions(std::move(actions))
    , m_record(new QPushButton(tr("Record…"))) {
    m_record->setCheckable(true);
    connect(m_record, &QPushButton::clicked, this, &CaptureButtons::toggleRecording);
    auto *exportButton = new QToolButton;
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(exportButton);
    menu->addAction(tr("CSV of the visible window…"), this, [this] { askAndExportCsv(false); });
    menu->addAction(tr("CSV of all history…"), this, [this] { askAndExportCsv(true); });
    menu->addAction(tr("PNG of the charts…"), this, &CaptureButtons::askAndExportPng);
    exportButton->setMenu(menu);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_record);
    layout->addWidget(exportButton);
}

void CaptureButtons::showRecording(bool on) {
    m_record->setChecked(on);
    m_record->setText(on ? tr("Stop recording") : tr("Record…"));
}

void CaptureButtons::askAndExportCsv(bool allHistory) {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export readings"), QStringLiteral("readings.csv"), tr("CSV (*.csv)"));
    QString error;
    if (!path.isEmpty() && !m_actions.exportCsv(path, allHistory, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

void CaptureButtons::askAndExportPng() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export charts"), QStringLiteral("dashboard.png"), tr("PNG (*.png)"));
    QString error;
    if (!path.isEmpty() && !m_actions.exportPng(path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

void CaptureButtons::toggleRecording(bool on) {
    QString path;
    if (on) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        const QString stamp =
            QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
        path = QFileDialog::getSaveFileName(
            this, tr("Record readings to"),
            dir + QStringLiteral("/vigil-recording-%1.csv").arg(stamp), tr("CSV (*.csv)"));
        if (path.isEmpty()) {
            showRecording(false);
            return;
        }
    }
    QString error;
    if (!m_actions.setRecording(on, path, &error)) {
        showRecording(false);
        QMessageBox::warning(this, tr("Recording failed"), error);
    }
}

} // namespace vigil::widgets
