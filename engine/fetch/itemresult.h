// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "attemptphases.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

#include <optional>

namespace vigil::fetch {

enum class ItemStatus { Ok, Failed, Timeout, Cancelled };

[[nodiscard]] QString statusName(ItemStatus status);
[[nodiscard]] std::optional<ItemStatus> statusFromName(const QString &name);

/// @brief The outcome of one batch item, as the results table and the journal show it.
struct ItemResult {
    int index = -1; ///< position in the item list
    int rank = 0;   ///< 1 for the first to finish, 2 for the next, …
    QString item;
    QString url;
    ItemStatus status = ItemStatus::Cancelled;
    int httpStatus = 0;
    /// Time on the wire: from the first attempt to the end, retries included, queuedMs not.
    double latencyMs = 0;
    /// Time waiting inside Vigil: for the host's rate limit or pause, backoff and Retry-After.
    double queuedMs = 0;
    int attempts = 0;
    /// Answers that were a 429 or a 503 (the server's "slow down"), over all attempts.
    int throttled = 0;
    /// The host's request rate when the item ended, with a learned rate (`--rate auto`); else 0.
    /// Neither is journaled.
    double hostRate = 0;
    qint64 bytes = 0;
    /// Extracted and computed columns, in spec order, with their JSON types (948 stays a number).
    QList<QPair<QString, QJsonValue>> fields;
    QString error;
    /// The response body, kept only until the compute stage has read it; never journaled.
    QByteArray body;
    /// The last response's Content-Type; not journaled.
    QString contentType;
    /// Each attempt (and redirect hop) on the batch's timeline, with its phases; not journaled,
    /// so an item resumed from a journal has none.
    QList<AttemptPhases> timeline;
    /// When the item's batch started, in ms since the Unix epoch (UTC): the timeline's zero.
    qint64 timelineZeroMs = 0;

    /// The field's value as text (a number as written, a string bare); empty when absent.
    [[nodiscard]] QString field(const QString &name) const;
    [[nodiscard]] QJsonValue fieldValue(const QString &name) const;
    /// The journal's and JSON export's object. Fields are `{"name": value}` with JSON types;
    /// fromJson() also reads the older `[["name","text"]]` form, so old journals resume.
    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] static std::optional<ItemResult> fromJson(const QJsonObject &object);
};

/// @brief The end-of-batch line: counts, throughput and latency percentiles.
struct BatchSummary {
    int total = 0;
    int skipped = 0; ///< already done in the journal (resume)
    int ok = 0;
    int failed = 0;
    int timeout = 0;
    int cancelled = 0;
    double wallS = 0;
    double rps = 0;
    double p50Ms = 0;
    double p95Ms = 0;
    double queueP50Ms = 0; ///< of the items' queuedMs
    double queueP95Ms = 0;
    /// Why the journal stopped taking results (the batch stopped there); empty when it never did.
    QString writeError;
    int unsaved = 0;                ///< fetched, but lost to writeError: counted as failed
    int rateLimited = 0;            ///< failed with HTTP 429 (the server's rate limit)
    int throttled = 0;              ///< 429 and 503 answers, over every attempt of every item
    int unreadableJournalLines = 0; ///< lines of a resumed journal that could not be read

    void add(const ItemResult &r);
    /// `fetched ok=… failed=… timeout=… cancelled=… wall_s=… rps=… p50_ms=… p95_ms=…
    /// queue_p50_ms=… queue_p95_ms=… throttled=…`, then ` unsaved=…` when results were lost to
    /// a write error
    [[nodiscard]] QString line() const;
    /// When items failed with 429, what to do about it, naming the settings as @p rateSetting
    /// and @p waitSetting (a CLI flag or a form label); empty otherwise.
    [[nodiscard]] QString rateLimitAdvice(const QString &rateSetting,
                                          const QString &waitSetting) const;
};

} // namespace vigil::fetch

Q_DECLARE_METATYPE(vigil::fetch::ItemResult)
