#include "finalize.h"

#include "partfile.h"

#include "compute/computepool.h"
#include "compute/sequentialhasher.h"
#include "compute/sha256.h"

#include <QDir>
#include <QFileInfo>
#include <QFuture>

#include <filesystem>

namespace vigil::fetch {

namespace {
FinalizeResult failure(const QString &error) {
    return FinalizeResult{error, {}, 0};
}

/// The digest of @p part: from the hasher that ran alongside the transfer, or read back now.
QCoro::Task<std::pair<QString, QString>> digestOf(const PartFile &part,
                                                  std::unique_ptr<compute::SequentialHasher> hash) {
    if (hash) {
        // Usually nearly done: the hashing ran alongside the transfer.
        QFuture<QString> result = hash->finish();
        hash.reset();
        QString digest;
        if (!result.isCanceled()) // QCoro 0.8 crashes on a cancelled future
            digest = co_await result;
        co_return std::pair{digest, digest.isEmpty()
                                        ? QStringLiteral("cannot read the partial file back")
                                        : QString()};
    }
    auto hashJob = [path = part.path()] {
        QString e;
        const QString d = sha256OfFile(path, &e);
        return std::pair{d, e};
    };
    co_return co_await compute::offload(hashJob);
}
} // namespace

QString sha256OfFile(const QString &path, QString *error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = f.errorString();
        return {};
    }
    compute::Sha256 hash;
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    while (true) {
        const qint64 n = f.read(buffer.data(), buffer.size());
        if (n < 0) {
            *error = f.errorString();
            return {};
        }
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
    }
    return QString::fromLatin1(hash.hexResult());
}

QCoro::Task<FinalizeResult> finalizeDownload(PartFile &part, FinalizeJob job,
                                             std::function<void()> onVerifying) {
    const QDir out(job.outDir);
    const QString finalPath = out.filePath(job.finalName);
    // The name came from outside: make sure it stays in the folder, whatever sanitizing missed.
    if (QFileInfo(finalPath).absolutePath() != QFileInfo(out.absolutePath()).absoluteFilePath()) {
        part.remove();
        co_return failure(QStringLiteral("refusing a file name outside the folder"));
    }
    const qint64 size = part.size();
    if (job.expectedSize >= 0 && size != job.expectedSize)
        co_return failure(
            QStringLiteral("incomplete: %1 of %2 bytes").arg(size).arg(job.expectedSize));
    if (!job.sha256.isEmpty()) {
        if (onVerifying)
            onVerifying();
        auto digesting = digestOf(part, std::move(job.hasher));
        const auto digested = co_await digesting;
        const QString &digest = digested.first;
        const QString expected = job.sha256.toLower();
        if (digest.isEmpty() || digest != expected) {
            part.remove(); // a corrupt file never gets its final name; a rerun starts clean
            co_return failure(digest.isEmpty()
                                  ? QStringLiteral("cannot read %1 to verify it: %2")
                                        .arg(part.path(), digested.second)
                                  : QStringLiteral("SHA-256 mismatch: expected %1, got %2")
                                        .arg(expected, digest));
        }
    }
    if (QFile::exists(finalPath) && !job.overwrite)
        co_return failure(
            QStringLiteral("%1 already exists (allow overwriting to replace it)").arg(finalPath));
    // rename(2) replaces atomically: there is never a moment with a half file under the name.
    std::error_code ec;
    std::filesystem::rename(part.path().toStdString(), finalPath.toStdString(), ec);
    if (ec)
        co_return failure(QStringLiteral("cannot rename to %1: %2")
                              .arg(finalPath, QString::fromStdString(ec.message())));
    part.removeSidecar();
    co_return FinalizeResult{{}, finalPath, size};
}

} // namespace vigil::fetch
