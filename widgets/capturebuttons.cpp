// SPDX-License-Identifier: Apache-2.0
#include "capturebuttons.h"
#include "chartpanel.h"

#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLocale>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QStandardPaths>
#include <QStatusBar>
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

bool CaptureButtons::exportCsvTo(const QString &path, bool allHistory) {
    QString error;
    if (!m_actions.exportCsv(path, allHistory, &error)) {
        QMessageBox::warning(this, tr("Export failed"), error);
        return false;
    }
    confirm(tr("CSV"), path);
    return true;
}

bool CaptureButtons::exportPngTo(const QString &path) {
    QString error;
    if (!m_actions.exportPng(path, &error)) {
        QMessageBox::warning(this, tr("Export failed"), error);
        return false;
    }
    confirm(tr("PNG"), path);
    return true;
}

void CaptureButtons::confirm(const QString &what, const QString &path) {
    // A save dialog that closes with no word leaves the user wondering where the file went.
    const QString message = tr("%1 written to %2 (%3)")
                                .arg(what, QFileInfo(path).absoluteFilePath(),
                                     QLocale().formattedDataSize(QFileInfo(path).size()));
    if (auto *main = qobject_cast<QMainWindow *>(window()))
        main->statusBar()->showMessage(message, 15000);
    Q_EMIT exported(message);
}

void CaptureButtons::askAndExportCsv(bool allHistory) {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export readings"), QStringLiteral("readings.csv"), tr("CSV (*.csv)"));
    if (!path.isEmpty())
        exportCsvTo(path, allHistory);
}

void CaptureButtons::askAndExportPng() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export charts"), QStringLiteral("dashboard.png"), tr("PNG (*.png)"));
    if (!path.isEmpty())
        exportPngTo(path);
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

QString chartsCaption(const QString &dashboardPath, const QList<ChartPanel *> &panels) {
    QDateTime from, to;
    for (const auto *panel : panels) {
        const auto range = panel->shownRange();
        if (!range)
            continue;
        from = from.isValid() ? std::min(from, range->first) : range->first;
        to = to.isValid() ? std::max(to, range->second) : range->second;
    }
    const QString name = dashboardPath.isEmpty() ? CaptureButtons::tr("unsaved dashboard")
                                                 : QFileInfo(dashboardPath).fileName();
    if (!from.isValid())
        return name;
    const QString format = from.date() == to.date() ? QStringLiteral("HH:mm:ss")
                                                    : QStringLiteral("yyyy-MM-dd HH:mm:ss");
    return CaptureButtons::tr("%1 · %2 %3 – %4 (%5)")
        .arg(name, from.toString(QStringLiteral("yyyy-MM-dd")),
             from.toString(QStringLiteral("HH:mm:ss")), to.toString(format),
             from.timeZoneAbbreviation());
}

QImage captionedCharts(QWidget *charts, const QString &dashboardPath,
                       const QList<ChartPanel *> &panels) {
    const QString caption = chartsCaption(dashboardPath, panels);
    const QPixmap grab = charts->grab();
    QFont font = charts->font();
    font.setBold(true);
    const int header = QFontMetrics(font).height() + 12;
    QImage image(grab.width(), grab.height() + header, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setFont(font);
    painter.setPen(QColor(0x20, 0x20, 0x20));
    painter.drawText(QRect(8, 0, image.width() - 16, header), Qt::AlignVCenter | Qt::AlignLeft,
                     caption);
    painter.drawPixmap(0, header, grab);
    painter.end();
    image.setText(QStringLiteral("Description"), caption);
    return image;
}

} // namespace vigil::widgets
