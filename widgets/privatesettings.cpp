// SPDX-License-Identifier: Apache-2.0
#include "privatesettings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

namespace vigil::widgets {

namespace {
constexpr auto kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

void makePrivate(const QString &path) {
    const QFileInfo info(path);
    QDir().mkpath(info.absolutePath());
    QFile::setPermissions(info.absolutePath(), kOwnerOnly | QFileDevice::ExeOwner);
    if (!info.exists()) {
        QFile file(path); // created owner-only, before the first secret-free byte goes in
        if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly, kOwnerOnly))
            file.close();
    }
    QFile::setPermissions(path, kOwnerOnly);
}

template <typename Change> void change(Change &&apply) {
    QSettings settings; // on Linux a file, ~/.config/<organization>/<application>.conf
    makePrivate(settings.fileName());
    apply(settings);
    settings.sync();
    QFile::setPermissions(settings.fileName(), kOwnerOnly);
}
} // namespace

void storePrivateSetting(const QString &key, const QVariant &value) {
    change([&](QSettings &s) { s.setValue(key, value); });
}

void removePrivateSetting(const QString &key) {
    change([&](QSettings &s) { s.remove(key); });
}

} // namespace vigil::widgets
