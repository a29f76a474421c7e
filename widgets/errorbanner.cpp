// SPDX-License-Identifier: Apache-2.0
#include "errorbanner.h"

namespace vigil::widgets {

ErrorBanner::ErrorBanner(QWidget *parent)
    : QLabel(parent) {
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setStyleSheet(QStringLiteral("QLabel { background: #b3261e; color: white; font-weight: bold; "
                                 "padding: 6px; border-radius: 3px; }"));
    hide();
}

void ErrorBanner::showError(const QString &message) {
    setText(message);
    show();
}

void ErrorBanner::clear() {
    QLabel::clear();
    hide();
}

} // namespace vigil::widgets
