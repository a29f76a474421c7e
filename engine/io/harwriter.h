// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fetch/batchspec.h"
#include "fetch/itemresult.h"
#include "net/httptypes.h"

#include <QByteArrayList>
#include <QSaveFile>
#include <QString>

namespace vigil::io {

/// @brief Writes a batch's exchanges as an HTTP Archive (HAR 1.2), which browser devtools and
/// HAR viewers open: one entry per attempt and per redirect hop, with its phases as HAR's
/// timings (blocked = Vigil's own waits; dns, connect, ssl, send, wait, receive).
///
/// It streams: each result's entries are written as it comes, so a batch of 100,000 items needs
/// no more memory than one. The file appears whole at commit() or not at all (QSaveFile).
///
/// Secrets are redacted as in journals: every URL goes through util::redactedUrlText(), a
/// request header that net::isSecretHeader() names (or the user marked) is written REDACTED,
/// and no cookie is written. Response headers are not kept, so none are written.
///
/// Vigil's own fields start with an underscore, as HAR asks: `_item`, `_attempt` and `_error` on
/// an entry, and `_queued`, `_limit` and `_backoff` (what `blocked` is made of) in its timings.
class HarWriter {
public:
    struct Context {
        QString title; ///< the page's title: the URL template (it is redacted here)
        QByteArray method = "GET";
        net::RawHeaders headers; ///< what every request sent, besides Vigil's own
        QByteArrayList secretHeaders;
        /// The items' columns (a table's) and separator: a header's {placeholders} are filled
        /// from each item as its request was.
        QStringList columns;
        QChar separator;
        /// What every request of @p spec sent: its template, method and headers, and its
        /// body's Content-Type.
        [[nodiscard]] static Context forBatch(const fetch::BatchSpec &spec);
    };
    explicit HarWriter(Context context);

    /// Starts writing to @p path; false with @p error when the file cannot be created.
    bool open(const QString &path, QString *error);
    /// Writes @p result's exchanges. One without a timeline (resumed from a journal, or never
    /// sent) has none, and is only counted in leftOut().
    void add(const fetch::ItemResult &result);
    /// Ends the file and puts it in place; false with @p error (the file's name and the
    /// system's reason) when any write failed.
    bool commit(QString *error);

    [[nodiscard]] int entries() const { return m_entries; }
    [[nodiscard]] int leftOut() const { return m_leftOut; }

private:
    void write(const QByteArray &bytes);
    /// The request headers @p r sent: placeholders filled from its item, secrets REDACTED.
    [[nodiscard]] net::RawHeaders headersOf(const fetch::ItemResult &r) const;

    Context m_context;
    net::RawHeaders m_shownHeaders; ///< m_context.headers, the secret ones REDACTED
    QSaveFile m_file;
    qint64 m_zeroMs = -1; ///< the first result's batch start: the page's start
    int m_entries = 0;
    int m_leftOut = 0;
};

} // namespace vigil::io
