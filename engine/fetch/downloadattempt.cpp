// SPDX-License-Identifier: Apache-2.0
#include "downloader.h"

#include "downloadnames.h"
#include "downloadrun.h"
#include "resumeprotocol.h"

#include "net/httptypes.h"
#include "util/logging.h"

// One attempt at one file: the request it sends (Range/If-Range from what is on disk) and what
// it does with the answer's headers and body. downloader.cpp runs the attempts and settles.
namespace vigil::fetch {

void Downloader::prepareAttempt(Run &run, Item &item, Attempt &at, net::HttpRequest &request) {
    item.p.state = DownloadState::Connecting;
    report(item);
    at.part = PartFile(run.folder, item.partName);
    at.restart = at.alreadyComplete = false;
    at.finalCheck.reset();
    // A file already under the final name (a rerun) is asked about, not fetched again.
    at.finalSize = existingFinalSize(run, item);
    if (at.finalSize >= 0) {
        at.existing = 0;
        request.headers += existingFileProbe(at.finalSize);
    } else {
        at.existing = at.part.resumableBytes(item.spec.url);
        request.headers +=
            resumeHeaders(at.existing, at.part.meta().etag, at.part.meta().lastModified);
    }
    request.onHeaders = [this, &run, &item, &at](int status, const net::RawHeaders &headers) {
        return onHeaders(run, item, at, status, headers);
    };
    request.onChunk = [this, &run, &item, &at](const QByteArray &chunk) {
        return onChunk(run, item, at, chunk);
    };
}

bool Downloader::onHeaders(Run &run, Item &item, Attempt &at, int status,
                           const net::RawHeaders &headers) {
    using Kind = ResumeDecision::Kind;
    if (at.finalSize >= 0) {
        at.finalCheck = judgeExistingFile(status, headers, at.finalSize);
        qCDebug(lcDownload) << item.p.name << "exists with" << at.finalSize << "bytes; status"
                            << status << "says the server has" << at.finalCheck->serverSize;
        // No body is wanted either way; an error status is reported (or retried) as usual.
        return at.finalCheck->kind == ExistingFileVerdict::Kind::NotABody;
    }
    const ResumeDecision decision =
        decideResume(status, headers, at.existing, at.part.meta().total);
    switch (decision.kind) {
    case Kind::AlreadyComplete:
        qCDebug(lcDownload) << item.partName << "is complete on disk (416 on resume)";
        at.alreadyComplete = true;
        return false;
    case Kind::Restart:
        qCDebug(lcDownload) << item.partName << "got a range it did not ask for: starting over";
        at.restart = true; // a range we did not ask for: start clean
        return false;
    case Kind::NotABody:
        return true; // the client reports it as an HTTP error
    case Kind::Write:
        break;
    }
    // The server's name wins over the URL's, unless the user named the file.
    const QString offered = sanitizeFileName(
        fileNameFromContentDisposition(net::headerValue(headers, "Content-Disposition")));
    // Claimed against the whole batch: never another item's .part, sidecar or final name.
    if (item.spec.targetName.isEmpty() && !offered.isEmpty())
        item.p.name = run.names.claimFinal(item.p.index, offered);
    // A server-named file can only be found complete now that its name has come.
    const qint64 onDisk = decision.offset == 0 ? existingFinalSize(run, item) : -1;
    if (onDisk >= 0 && decision.total == onDisk) {
        at.finalSize = onDisk;
        at.finalCheck = ExistingFileVerdict{ExistingFileVerdict::Kind::Complete, onDisk};
        return false;
    }
    item.p.resumed = decision.offset > 0;
    if (at.existing > 0)
        qCDebug(lcDownload) << item.partName << "had" << at.existing << "bytes on disk; status"
                            << status << "resumes at" << decision.offset;
    item.p.bytes = decision.offset;
    item.p.total = decision.total;
    // Opened (and checked to be our own regular file) before its prefix is read back to hash.
    const PartMeta meta{
        PartFile::sidecarUrl(item.spec.url), QString::fromUtf8(net::headerValue(headers, "ETag")),
        QString::fromUtf8(net::headerValue(headers, "Last-Modified")), decision.total};
    if (!at.part.open(decision.offset, meta, &at.writeError))
        return false;
    item.hash.reset();
    if (!item.spec.sha256.isEmpty()) {
        item.hash = std::make_unique<compute::SequentialHasher>(run.hashMemory);
        if (decision.offset > 0)
            item.hash->addFilePrefix(at.part.path(), decision.offset);
    }
    item.p.state = DownloadState::Downloading;
    item.speedClock.start();
    item.speedBytes = decision.offset;
    report(item);
    return true;
}

bool Downloader::onChunk(Run &run, Item &item, Attempt &at, const QByteArray &chunk) {
    // An error answer's body (a 429's JSON): nothing to keep, the client reports the status.
    if (!at.part.isOpen())
        return true;
    if (!at.part.write(chunk, &at.writeError))
        return false;
    if (item.hash)
        item.hash->add(chunk);
    item.p.bytes += chunk.size();
    run.bytes += chunk.size();
    m_counters->bytes += chunk.size();
    report(item, item.p.bytes == item.p.total); // the last bytes always show
    return true;
}

net::AttemptVerdict Downloader::judgeAttempt(Item &item, Attempt &at,
                                             const net::HttpResponse &response) {
    QString closeError;
    if (!at.part.close(&closeError) && at.writeError.isEmpty())
        at.writeError = closeError;
    const bool probed = at.finalCheck && at.finalCheck->kind != ExistingFileVerdict::Kind::NotABody;
    if (!at.writeError.isEmpty() || at.alreadyComplete || probed)
        return net::AttemptVerdict::Finish;
    if (at.restart) {
        at.part.remove();
        return net::AttemptVerdict::Retry;
    }
    if (!response.ok())
        return net::AttemptVerdict::ByResponse;
    // A body that ended short is worth another attempt: what is on disk stays and is resumed.
    const bool complete = item.p.total < 0 || at.part.size() == item.p.total;
    return complete ? net::AttemptVerdict::Finish : net::AttemptVerdict::Retry;
}

} // namespace vigil::fetch
