// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QImage>
#include <QWidget>

#include <functional>

class QPushButton;

namespace vigil::widgets {
class ChartPanel;
}

namespace vigil::widgets {

/// @brief The dashboard's Record… and Export buttons: each asks for a file, then calls back. An
/// error goes to a message box; a written export is confirmed with its path in the status bar.
class CaptureButtons : public QWidget {
    Q_OBJECT
public:
    /// What the buttons do; each returns false with a readable error.
    struct Actions {
        std::function<bool(const QString &path, bool allHistory, QString *error)> exportCsv;
        std::function<bool(const QString &path, QString *error)> exportPng;
        std::function<bool(bool on, const QString &path, QString *error)> setRecording;
    };

    explicit CaptureButtons(Actions actions, QWidget *parent = nullptr);

    /// The Record button's state, set by whoever starts or stops the recording.
    void showRecording(bool on);
    /// What the Export menu does once a file was chosen: export, then confirm or warn.
    bool exportCsvTo(const QString &path, bool allHistory);
    bool exportPngTo(const QString &path);

Q_SIGNALS:
    /// An export was written; @p message names the file, as the status bar shows it.
    void exported(const QString &message);

private:
    void confirm(const QString &what, const QString &path);
    void askAndExportCsv(bool allHistory);
    void askAndExportPng();
    void toggleRecording(bool on);

    Actions m_actions;
    QPushButton *m_record;
};

/// The text a PNG export carries: the dashboard's file name (or "unsaved dashboard") and the time
/// range @p panels show; empty times when nothing is drawn yet.
[[nodiscard]] QString chartsCaption(const QString &dashboardPath,
                                    const QList<ChartPanel *> &panels);
/// @p charts as an image with chartsCaption() drawn above them, and kept in the PNG's
/// "Description" text too.
[[nodiscard]] QImage captionedCharts(QWidget *charts, const QString &dashboardPath,
                                     const QList<ChartPanel *> &panels);

} // namespace vigil::widgets
