// SPDX-License-Identifier: Apache-2.0
#include "downloader.h"

namespace vigil::fetch {

QString DownloadSummary::line() const {
    return QStringLiteral("downloaded ok=%1 already_complete=%2 failed=%3 cancelled=%4 "
                          "interrupted=%5 bytes=%6 wall_s=%7 mb_per_s=%8 throttled=%9")
        .arg(ok)
        .arg(alreadyComplete)
        .arg(failed)
        .arg(cancelled)
        .arg(unfinished)
        .arg(bytes)
        .arg(wallS, 0, 'f', 3)
        .arg(mbPerS(), 0, 'f', 1)
        .arg(throttled);
}

DownloadSummary DownloadSummary::fromStates(const QList<DownloadState> &finalStates) {
    DownloadSummary s;
    for (const DownloadState state : finalStates) {
        s.ok += state == DownloadState::Done;
        s.failed += state == DownloadState::Failed;
        s.cancelled += state == DownloadState::Cancelled;
        s.unfinished += state == DownloadState::Paused;
    }
    return s;
}

} // namespace vigil::fetch
