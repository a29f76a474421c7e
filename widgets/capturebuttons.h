#pragma once

#include <QWidget>

#include <functional>

class QPushButton;

namespace vigil::widgets {

/// @brief The dashboard's Record… and Export buttons: each asks for a file, then calls back, and
/// shows the error the callback gives in a message box.
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

private:
    void askAndExportCsv(bool allHistory);
    void askAndExportPng();
    void toggleRecording(bool on);

    Actions m_actions;
    QPushButton *m_record;
};

} // namespace vigil::widgets
