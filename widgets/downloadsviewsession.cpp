// SPDX-License-Identifier: Apache-2.0
// The Downloads tab's memory: the list it keeps in the settings while it runs, and what a restart
// makes of it.
#include "downloadsview.h"

#include "demofolder.h"
#include "downloadsmodel.h"
#include "privatesettings.h"

#include "dashboard/dashboardsecrets.h"
#include "fetch/downloadspec.h"

#include <QCheckBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSpinBox>
#include <QTimer>

namespace vigil::widgets {

namespace {
/// The URLs of the remembered list's files that the user had paused.
QSet<QString> pausedUrls(const QByteArray &session) {
    QSet<QString> urls;
    const auto items = QJsonDocument::fromJson(session).object().value(QStringLiteral("items"));
    for (const auto &v : items.toArray()) {
        const QJsonObject item = v.toObject();
        if (item.value(QStringLiteral("state")).toString() ==
            fetch::downloadStateName(fetch::DownloadState::Paused))
            urls.insert(item.value(QStringLiteral("url")).toString());
    }
    return urls;
}
} // namespace

void DownloadsView::remember() {
    // The demo's list lives in a folder removed at quit: nothing to resume.
    if (DemoFolder::isDemoFolder(m_spec.options.outDir))
        return;
    const QList<fetch::DownloadState> states = m_remembered;
    // The list comes back at the next start without its secrets: no URL password or key-like
    // query parameter reaches the settings file.
    fetch::DownloadSpec kept = m_spec;
    bool leftOut = false;
    for (auto &item : kept.items) {
        QStringList dropped;
        item.url = dashboard::persistableUrl(item.url, &dropped);
        leftOut = leftOut || !dropped.isEmpty();
    }
    storePrivateSetting(QLatin1String(kSessionKey), fetch::sessionJson(kept, states));
    storePrivateSetting(QLatin1String(kSecretsLeftOutKey), leftOut);
}

void DownloadsView::restore() {
    DemoFolder::removeStale(); // left by a demo run that crashed
    const QByteArray session = QSettings().value(QLatin1String(kSessionKey)).toByteArray();
    const auto form = fetch::formFromSession(session);
    if (!form)
        return;
    if (DemoFolder::isDemoFolder(form->folder)) { // remembered by an older Vigil
        removePrivateSetting(QLatin1String(kSessionKey));
        removePrivateSetting(QLatin1String(kSecretsLeftOutKey));
        return;
    }
    m_restoredPaused = pausedUrls(session);
    m_urls->setPlainText(form->urls);
    m_checksums->setPlainText(form->checksums);
    m_folder->setText(form->folder);
    m_concurrency->setValue(form->concurrency.toInt());
    m_limit->setText(form->bandwidth);
    m_overwrite->setChecked(form->overwrite);
    if (QSettings().value(QLatin1String(kSecretsLeftOutKey)).toBool()) {
        // Started without its keys, each item would get a 401, and its partial file would not
        // match its sidecar and be thrown away: the user puts the secrets back first.
        m_problems->setText(tr("The interrupted list came back without its secrets (URL "
                               "passwords, key-like parameters). Put them back and press Start "
                               "to resume."));
        return;
    }
    // Resume what was left: partial files continue where they stopped.
    QTimer::singleShot(0, this, &DownloadsView::start);
}

} // namespace vigil::widgets
