// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QPair>
#include <QString>

namespace vigil::widgets {

/// The label a dialog gives the file key that a dashboard error path names ("sensors[0].url" →
/// "Server"), so that a dialog checked by the file's own rules names its own fields. Keys
/// without a label are named as they are.
[[nodiscard]] inline QString fieldLabel(const QString &path,
                                        const QList<QPair<QString, QString>> &labels) {
    const QString key = path.section(u'.', 1, 1);
    for (const auto &[k, label] : labels)
        if (key == k)
            return label;
    return key;
}

} // namespace vigil::widgets
