// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "async/adaptiverate.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

namespace vigil::fetch {

/// @brief One file to fetch: where from, optionally what it must hash to and what to call it.
struct DownloadItem {
    QUrl url;
    QString sha256;     ///< 64 hex digits, or empty
    QString targetName; ///< overrides the name from the URL or Content-Disposition
};

enum class DownloadState {
    Queued,
    Connecting,
    Downloading,
    Verifying,
    Done,
    Failed,
    Paused,
    Cancelled
};
[[nodiscard]] QString downloadStateName(DownloadState state);

/// @brief How a download list runs: where to, how many at once, and the politeness limits.
struct DownloadOptions {
    QString outDir;
    int concurrency = 4;
    double requestsPerSecondPerHost = 0; ///< 0: no limit
    /// Set: each host's rate is learned instead (`--rate auto`), within these bounds.
    std::optional<async::AutoRateBounds> autoRate;
    qint64 bandwidth = 0; ///< bytes/s for all downloads together; 0: no cap
    int retries = 3;
    bool overwrite = false;
    std::chrono::milliseconds stallTimeout{30000};
};

/// @brief A download list as a person writes it: the Downloads form's fields, or the CLI's flags.
struct DownloadForm {
    QString urls;      ///< one URL per line; blank lines and lines starting with '#' are skipped
    QString checksums; ///< sha256sum format, matched to the URLs by file name
    QString folder;
    QString concurrency = QStringLiteral("4");
    QString bandwidth; ///< bytes/s, parseByteRate()'s units (2M = 2×10^6); empty: no cap
    QString rate;      ///< requests/s per host, or auto (parseRateSetting()); empty: no limit
    bool overwrite = false;
};

/// @brief One problem with a download form, tied to its field and, in a list, its line.
struct DownloadProblem {
    QString field; ///< "urls", "checksums", "folder", "concurrency", "bandwidth" or "rate"
    int line = 0;  ///< 1-based line in the URL list or checksum text; 0 when not about a line
    QString message;
    bool operator==(const DownloadProblem &) const = default;
};

/// @brief A download list ready to run: the files and the options to fetch them with.
struct DownloadSpec {
    static constexpr int kMaxConcurrency = 256;

    QList<DownloadItem> items;
    DownloadOptions options;
};

/// @brief What parseDownloadForm() made of a form: the spec, usable when problems is empty.
struct DownloadSpecParse {
    DownloadSpec spec;
    QList<DownloadProblem> problems; ///< in form order, every bad line included
};

/// Parses and checks a whole form: URLs (http or https, with a host), checksums matched by file
/// name, the folder, concurrency 1..kMaxConcurrency and the bandwidth text.
[[nodiscard]] DownloadSpecParse parseDownloadForm(const DownloadForm &form);

/// The URLs of @p text, one per line; blank lines and '#' comments are skipped. A line that is not
/// an http(s) URL is appended to @p problems with its line number.
[[nodiscard]] QList<QUrl> parseUrlList(const QString &text, QList<DownloadProblem> *problems);

/// The saved-session JSON for @p spec with each item's state, which the Downloads tab keeps while
/// a list runs so that a restart resumes it.
[[nodiscard]] QByteArray sessionJson(const DownloadSpec &spec, const QList<DownloadState> &states);

/// The form that resumes a saved session: its items that are neither done nor cancelled, with
/// their checksums and the session's limits. nullopt when nothing is left (or the JSON is bad).
[[nodiscard]] std::optional<DownloadForm> formFromSession(QByteArrayView json);

} // namespace vigil::fetch
