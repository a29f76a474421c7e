// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace vigil::widgets {

/// @brief Where `vigil --demo downloads` puts its files: a folder of this process's own under
/// the temp dir, `vigil-demo-downloads-<pid>`, which the Downloads tab removes when the app
/// quits. A folder left by a run that crashed is removed at the next start, once its process
/// is gone.
class DemoFolder {
public:
    /// This process's folder; not created.
    [[nodiscard]] static QString path();
    /// True for a demo folder of any run, by its name and place.
    [[nodiscard]] static bool isDemoFolder(const QString &path);
    /// Removes the demo folders under the temp dir whose process has ended; how many.
    static int removeStale();
    /// Removes this process's folder, if it was made.
    static void removeOwn();
};

} // namespace vigil::widgets
