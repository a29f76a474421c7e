// SPDX-License-Identifier: Apache-2.0
#include "finalize.h"

#include "partfile.h"

#include "compute/computepool.h"
#include "compute/sequentialhasher.h"
#include "compute/sha256.h"

#include <QFile>
#include <QFuture>

#include <cerrno>
#include <unistd.h>

namespace vigil::fetch {

namespace {
QCoro::Task<std::pair<QString, QString>> hashOnPool(std::shared_ptr<io::UniqueFd> fd,
                                                    QString openError, std::stop_token stop = {}) {
    if (!fd->isValid())
        co_return std::pair{QString(), openError};
    // The job checks the token itself: cancelling the awaited future would crash QCoro 0.8.
    auto hashJob = [fd, stop] {
        QString e;
        const QString d = sha256OfFd(fd->get(), &e, stop);
        return std::pair{d, e};
    };
    co_return co_await compute::offload(hashJob);
}

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
    // Read through a descriptor opened like the writes were: never through a planted symlink.
    QString openError;
    auto fd = std::make_shared<io::UniqueFd>(part.openForReading(&openError));
    auto hashing = hashOnPool(std::move(fd), openError);
    co_return co_await hashing;
}

bool isPlainName(const QString &name) {
    return !name.isEmpty() && !name.contains(u'/') && name != QLatin1String(".") &&
           name != QLatin1String("..");
}
} // namespace

QCoro::Task<std::pair<QString, QString>> sha256InFolder(std::shared_ptr<const io::Folder> folder,
                                                        QString name, std::stop_token stop) {
    QString openError;
    auto fd = std::make_shared<io::UniqueFd>(folder->openForReading(name, &openError));
    auto hashing = hashOnPool(std::move(fd), openError, std::move(stop));
    co_return co_await hashing;
}

QString sha256OfFd(int fd, QString *error, const std::stop_token &stop) {
    compute::Sha256 hash;
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    while (true) {
        if (stop.stop_requested()) {
            *error = QStringLiteral("stopped");
            return {};
        }
        const ssize_t n = ::read(fd, buffer.data(), std::size_t(buffer.size()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *error = qt_error_string(errno);
            return {};
        }
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
    }
    return QString::fromLatin1(hash.hexResult());
}

QString sha256OfFile(const QString &path, QString *error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = f.errorString();
        return {};
    }
    return sha256OfFd(f.handle(), error);
}

QCoro::Task<FinalizeResult> finalizeDownload(PartFile &part, FinalizeJob job,
                                             std::function<void()> onVerifying) {
    // The name came from outside: make sure it stays in the folder, whatever sanitizing missed.
    if (part.isNull() || !isPlainName(job.finalName)) {
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
    const QString finalPath = part.folder()->filePath(job.finalName);
    // The check words the usual case; the no-replace rename is what guarantees it.
    if (!job.overwrite && part.folder()->status(job.finalName).exists)
        co_return failure(
            QStringLiteral("%1 already exists (allow overwriting to replace it)").arg(finalPath));
    // rename(2) replaces atomically: there is never a moment with a half file under the name.
    QString error;
    if (!part.commit(job.finalName, job.overwrite, &error))
        co_return failure(error);
    co_return FinalizeResult{{}, finalPath, size};
}

} // namespace vigil::fetch
