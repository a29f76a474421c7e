// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "breakerpolicy.h"

#include "async/adaptiverate.h"
#include "net/httptypes.h"

#include <QIODevice>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <initializer_list>
#include <optional>

namespace vigil::fetch {

/// @brief A result column: a name and the JSON pointer that fills it from each response.
struct FieldSpec {
    QString name;
    QString pointer;
    bool operator==(const FieldSpec &) const = default;
};

/// @brief The CPU step that can follow each fetch (the "fetch, then compute" pipeline).
enum class ComputeStage {
    None,
    Kinetics, ///< integrate dC/dt = -kC with RK4 from the response's "k"; adds C_final
};

/// @brief A batch's items without a QString each: the numbers 0..N-1 made on demand (--count), or
/// a list packed into one UTF-8 buffer, so ten million items cost bytes, not a gigabyte.
class ItemList {
public:
    ItemList() = default;
    ItemList(const QStringList &items); // NOLINT: implicit, forms and tests build lists
    ItemList(std::initializer_list<QString> items);
    /// The items "0", "1", … "count-1", none of them stored.
    [[nodiscard]] static ItemList range(int count);

    void append(QStringView item);
    /// Appends @p item given as UTF-8, without a trip through QString (item files are big).
    void appendUtf8(QByteArrayView item);
    ItemList &operator<<(QStringView item) {
        append(item);
        return *this;
    }
    void clear() { *this = {}; }
    [[nodiscard]] qsizetype size() const { return m_range >= 0 ? m_range : m_ends.size(); }
    [[nodiscard]] bool isEmpty() const { return size() == 0; }
    [[nodiscard]] QString at(qsizetype i) const;
    [[nodiscard]] QString operator[](qsizetype i) const { return at(i); }

private:
    qsizetype m_range = -1; // >= 0: the numbers 0..m_range-1
    QByteArray m_text;      // the listed items, back to back
    QList<qsizetype> m_ends;
};

/// @brief Everything a batch needs: items, the URL template, and the politeness limits.
struct BatchSpec {
    ItemList items;
    /// Contains {item}, replaced by the URL-encoded item; just `{item}`: each item is a whole
    /// URL (a list of endpoints, over as many hosts as it names).
    QString urlTemplate;
    net::RawHeaders headers;
    /// Set when the items are a table's records (CSV or TSV with a header): its column names,
    /// each a {name} placeholder in the URL, the headers and the body. Empty for a plain list,
    /// whose one placeholder is {item}.
    QStringList columns;
    QChar separator;           ///< the table's: ',' or a tab
    QByteArray method = "GET"; ///< GET, POST or PUT
    /// The request body, with the same placeholders as the URL; only with POST or PUT. Values go
    /// in escaped for a JSON string when the content type is JSON, percent-encoded for a form.
    QString bodyTemplate;
    QString contentType = QStringLiteral("application/json"); ///< the body's
    /// Retry a POST too: it is sent once otherwise, since a retry could do it twice.
    bool retryUnsafe = false;
    int concurrency = 10; ///< requests in flight at most (1..5000)
    /// Requests in flight at most per host (`--per-host`), 0: only the batch's limit. A slot
    /// never waits on a full, paused or rate-limited host while another host can take a request.
    int perHost = 0;
    /// `--per-host auto`: each host's requests at once follow its latency (LatencyLimit): fewer
    /// when its latency climbs well above its own baseline; at most perHost, or concurrency.
    bool perHostAuto = false;
    BreakerPolicy breaker;  ///< `--breaker N`: a host's time-out after N failures in a row
    double ratePerHost = 0; ///< requests per second per host; 0 means no limit
    /// Set: each host's rate is learned instead (`--rate auto`), within these bounds.
    std::optional<async::AutoRateBounds> autoRate;
    std::chrono::milliseconds timeout{10000}; ///< total deadline per attempt
    int retries = 2;                          ///< extra attempts after the first (0..20)
    /// The most one item waits, all together, for what servers asked (429/503 with
    /// Retry-After); those waits use up no retry (0..3600 s). 5 minutes: every wait a rate
    /// limit with a per-minute window asks for fits, a few times over.
    std::chrono::seconds maxServerWait{300};
    bool failFast = false; ///< stop everything at the first failure
    QList<FieldSpec> fields;
    ComputeStage compute = ComputeStage::None;
    /// "K/N" when the items are shard K of N (Shard::label()); in the journal's header, so that a
    /// shard never resumes from another one's journal. Empty for a whole batch.
    QString shard;
};

/// @brief One problem with a spec, tied to the form field or CLI flag it concerns.
struct SpecProblem {
    /// "items", "template", "method", "body", "concurrency", "perHost", "breaker", "rate",
    /// "timeout", "retries", "maxWait", "fields", "headers"
    QString field;
    QString message;
    bool operator==(const SpecProblem &) const = default;
};

/// Everything wrong with @p spec, in form order; empty when it can run.
[[nodiscard]] QList<SpecProblem> validate(const BatchSpec &spec);

/// Checks only the template: it must hold {item} and expand to an http(s) URL with a host.
[[nodiscard]] QString templateProblem(const QString &urlTemplate);

/// The URL for @p item: {item} replaced by the item, percent-encoded (or, for the template
/// `{item}`, the item itself). nullopt when the result is not a valid http(s) URL.
[[nodiscard]] std::optional<QUrl> expandTemplate(const QString &urlTemplate, const QString &item);

/// @brief A per-host request rate as a person gives it: a fixed rate, or one learned per host.
struct RateSetting {
    double perHost = 0; ///< requests/s per host; 0: no limit
    std::optional<async::AutoRateBounds> adaptive;
    bool operator==(const RateSetting &) const = default;
};

/// The most requests per second per host any setting may name.
constexpr double kMaxRatePerHost = 100000;

/// Parses --rate: a number of requests per second per host (0: no limit), or `auto`, optionally
/// bounded as `auto:MIN-MAX`, `auto:-MAX` or `auto:MIN-`. nullopt (with @p error) otherwise.
[[nodiscard]] std::optional<RateSetting> parseRateSetting(const QString &text, QString *error);

/// The setting as parseRateSetting() reads it back ("auto:1-50", "2.5").
[[nodiscard]] QString rateSettingText(const RateSetting &setting);

/// Parses "name=/json/pointer" as the CLI's --field takes it.
[[nodiscard]] std::optional<FieldSpec> parseFieldSpec(const QString &text, QString *error);

/// Items from text: one per line, trimmed; blank lines and lines starting with '#' are skipped.
[[nodiscard]] QStringList parseItemList(const QString &text);

/// The most items a batch takes, and the longest item line, whatever the source.
constexpr int kMaxItems = 10'000'000;
constexpr qsizetype kMaxItemLineBytes = 64 * 1024;

/// Whether readItemList() trims each line (and skips `#` comments), as a plain list wants, or
/// keeps it as it is but for its line ending, as a table's records need.
enum class ItemLines { Trimmed, Untrimmed };

/// Reads items from @p device line by line, as parseItemList() does, stopping with @p error at a
/// line longer than kMaxItemLineBytes or past kMaxItems: a pipe or stdin can be endless.
[[nodiscard]] std::optional<ItemList> readItemList(QIODevice &device, QString *error,
                                                   ItemLines lines = ItemLines::Trimmed);

} // namespace vigil::fetch
