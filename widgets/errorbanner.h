// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLabel>

namespace vigil::widgets {

/// @brief A red strip above a view for errors that stopped something the user counts on (a
/// recording, a batch's journal, an export): hidden until showError(), never a quiet log line.
class ErrorBanner : public QLabel {
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget *parent = nullptr);

    /// Shows @p message until the next clear().
    void showError(const QString &message);
    void clear();
};

} // namespace vigil::widgets
