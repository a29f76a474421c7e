#include "partfile.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace vigil::fetch {

PartFile::PartFile(QString path)
    : m_path(std::move(path)) {}

qint64 PartFile::resumableBytes(const QUrl &url) {
    m_meta = {};
    if (isNull())
        return 0;
    QFile sidecar(sidecarPath());
    const QJsonObject o = sidecar.open(QIODevice::ReadOnly)
                              ? QJsonDocument::fromJson(sidecar.readAll()).object()
                              : QJsonObject();
    m_meta.url = o.value(QStringLiteral("url")).toString();
    m_meta.etag = o.value(QStringLiteral("etag")).toString();
    m_meta.lastModified = o.value(QStringLiteral("last_modified")).toString();
    m_meta.total = qint64(o.value(QStringLiteral("total")).toDouble(-1));
    if (QFile::exists(m_path) && m_meta.url == url.toString())
        return QFileInfo(m_path).size();
    remove();
    m_meta = {};
    return 0;
}

bool PartFile::open(qint64 offset, const PartMeta &meta, QString *error) {
    m_file = std::make_unique<QFile>(m_path);
    const auto mode = offset > 0 ? QIODevice::WriteOnly | QIODevice::Append
                                 : QIODevice::WriteOnly | QIODevice::Truncate;
    if (!m_file->open(mode)) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_path, m_file->errorString());
        m_file.reset();
        return false;
    }
    m_meta = meta;
    QFile sidecar(sidecarPath());
    if (sidecar.open(QIODevice::WriteOnly | QIODevice::Truncate))
        sidecar.write(
            QJsonDocument(QJsonObject{{QStringLiteral("url"), meta.url},
                                      {QStringLiteral("etag"), meta.etag},
                                      {QStringLiteral("last_modified"), meta.lastModified},
                                      {QStringLiteral("total"), double(meta.total)}})
                .toJson(QJsonDocument::Compact));
    return true;
}

bool PartFile::write(const QByteArray &chunk, QString *error) {
    if (m_file && m_file->write(chunk) == chunk.size())
        return true;
    *error = QStringLiteral("cannot write %1: %2")
                 .arg(m_path, m_file ? m_file->errorString() : QStringLiteral("not open"));
    return false;
}

bool PartFile::close(QString *error) {
    if (!isOpen())
        return true;
    const bool flushed = m_file->flush();
    if (!flushed)
        *error = QStringLiteral("cannot write %1: %2").arg(m_path, m_file->errorString());
    m_file.reset();
    return flushed;
}

qint64 PartFile::size() const {
    return isNull() ? 0 : QFileInfo(m_path).size();
}

void PartFile::remove() {
    if (isNull())
        return;
    QString ignored;
    close(&ignored);
    QFile::remove(m_path);
    removeSidecar();
}

void PartFile::removeSidecar() {
    if (!isNull())
        QFile::remove(sidecarPath());
}

} // namespace vigil::fetch
