// SPDX-License-Identifier: Apache-2.0
#include "partfile.h"

#include "util/safefile.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace vigil::fetch {

namespace {
/// A sidecar is a few hundred bytes; anything far larger is not one of ours.
constexpr qint64 kMaxSidecarBytes = 64 * 1024;
} // namespace

PartFile::PartFile(std::shared_ptr<const io::Folder> folder, const QString &stem)
    : m_folder(std::move(folder))
    , m_name(stem.isEmpty() ? QString() : stem + QStringLiteral(".part")) {}

QString PartFile::path() const {
    return isNull() ? QString() : m_folder->filePath(m_name);
}

QString PartFile::sidecarUrl(const QUrl &url) {
    return util::redactedUrlText(url.toString());
}

qint64 PartFile::resumableBytes(const QUrl &url) {
    m_meta = {};
    m_wrote = {};
    if (isNull())
        return 0;
    const io::FileStatus data = m_folder->status(m_name);
    if (data.exists && !data.isSafe())
        return 0;
    QString ignored; // an unreadable or foreign sidecar resumes nothing, like a missing one
    const auto json = m_folder->readSmall(sidecarName(), kMaxSidecarBytes, &ignored);
    const QJsonObject o = json ? QJsonDocument::fromJson(*json).object() : QJsonObject();
    m_meta.url = o.value(QStringLiteral("url")).toString();
    m_meta.etag = o.value(QStringLiteral("etag")).toString();
    m_meta.lastModified = o.value(QStringLiteral("last_modified")).toString();
    m_meta.total = qint64(o.value(QStringLiteral("total")).toDouble(-1));
    // Sidecars from before secrets were redacted hold the whole URL, or all but its user-info:
    // they still resume.
    const bool sameUrl =
        !m_meta.url.isEmpty() && (m_meta.url == sidecarUrl(url) || m_meta.url == url.toString() ||
                                  m_meta.url == url.toString(QUrl::RemoveUserInfo));
    if (data.exists && sameUrl)
        return data.size;
    remove();
    m_meta = {};
    return 0;
}

bool PartFile::open(qint64 offset, const PartMeta &meta, QString *error) {
    if (isNull()) {
        *error = QStringLiteral("no folder to write the partial file in");
        return false;
    }
    m_fd = m_folder->openForWriting(m_name, offset > 0, error);
    if (!m_fd.isValid())
        return false;
    m_wrote = io::statusOf(m_fd.get());
    if (offset > 0 && m_wrote.size != offset) {
        *error = QStringLiteral("%1 changed on disk (%2 bytes, %3 expected)")
                     .arg(path())
                     .arg(m_wrote.size)
                     .arg(offset);
        m_fd = {};
        return false;
    }
    m_meta = meta;
    const QByteArray json =
        QJsonDocument(QJsonObject{{QStringLiteral("url"), meta.url},
                                  {QStringLiteral("etag"), meta.etag},
                                  {QStringLiteral("last_modified"), meta.lastModified},
                                  {QStringLiteral("total"), double(meta.total)}})
            .toJson(QJsonDocument::Compact);
    // 0600: the URL's query may hold a key even without user-info.
    if (!m_folder->replaceWith(sidecarName(), json, 0600, error)) {
        m_fd = {};
        return false;
    }
    return true;
}

bool PartFile::write(const QByteArray &chunk, QString *error) {
    if (!m_fd.isValid()) {
        *error = QStringLiteral("cannot write %1: not open").arg(path());
        return false;
    }
    return io::Folder::writeAll(m_fd.get(), chunk.constData(), chunk.size(), path(), error);
}

bool PartFile::close(QString *error) {
    QString why;
    if (m_fd.close(&why))
        return true;
    *error = QStringLiteral("cannot write %1: %2").arg(path(), why);
    return false;
}

qint64 PartFile::size() const {
    if (m_fd.isValid())
        return io::statusOf(m_fd.get()).size;
    if (isNull())
        return 0;
    const io::FileStatus s = m_folder->status(m_name);
    return s.isSafe() ? s.size : 0;
}

io::UniqueFd PartFile::openForReading(QString *error) const {
    if (isNull()) {
        *error = QStringLiteral("no partial file");
        return {};
    }
    return m_folder->openForReading(m_name, error);
}

bool PartFile::commit(const QString &finalName, bool replace, QString *error) {
    if (isNull()) {
        *error = QStringLiteral("no partial file");
        return false;
    }
    const io::FileStatus now = m_folder->status(m_name);
    if (!now.isSafe() || (m_wrote.exists && !now.sameFile(m_wrote))) {
        *error = QStringLiteral("refusing to rename %1: it is no longer the file Vigil wrote")
                     .arg(path());
        return false;
    }
    if (!m_folder->rename(m_name, finalName, replace, error))
        return false;
    removeSidecar();
    return true;
}

void PartFile::remove() {
    if (isNull())
        return;
    QString ignored;
    close(&ignored);
    m_folder->remove(m_name);
    removeSidecar();
}

void PartFile::removeSidecar() {
    if (!isNull())
        m_folder->remove(sidecarName());
}

} // namespace vigil::fetch
