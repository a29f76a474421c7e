// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QVariant>

namespace vigil::widgets {

/// Stores @p value under @p key in the application's QSettings file, which is kept private:
/// the file is created 0600 before anything is written (QSettings keeps a file's mode when it
/// rewrites it), and set to 0600 again after the write, and its folder is 0700. What goes in
/// must still hold no secret; the mode is a second line of defence.
void storePrivateSetting(const QString &key, const QVariant &value);
/// Removes @p key from the QSettings file, keeping the file private as above.
void removePrivateSetting(const QString &key);

} // namespace vigil::widgets
