// SPDX-License-Identifier: Apache-2.0
#include "climetrics.h"
#include "clisupport.h"
#include "fetchinputs.h"
#include "fetchprogress.h"
#include "shardflags.h"

#include "async/clock.h"
#include "fetch/batchrunner.h"
#include "io/harwriter.h"
#include "metrics/vigilmetrics.h"
#include "net/httpclient.h"
#include "util/safefile.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <algorithm>
#include <map>
#include <optional>

#include <unistd.h>

namespace vigil::cli {

namespace {
QCoro::Task<int> fetchMain(fetch::BatchRunner &runner, fetch::BatchSpec spec, QString journal,
                           FetchProgress &progress) {
    std::optional<fetch::BatchSummary> summary;
    QString setupError;
    try {
        summary = co_await runner.run(std::move(spec), journal);
    } catch (const fetch::BatchSetupError &e) {
        setupError = QString::fromUtf8(e.what());
    }
    progress.clear();
    if (!summary)
        co_return usageError("fetch", setupError);
    if (summary->unreadableJournalLines > 0)
        err() << "vigil fetch: skipped " << summary->unreadableJournalLines
              << " unreadable line(s) in " << journal
              << " (a run that was killed or ran out of space leaves one half-written line); "
                 "items not recorded there as ok are fetched again"
              << Qt::endl;
    if (!summary->writeError.isEmpty())
        err() << "vigil fetch: " << summary->writeError << "; the batch stopped, "
              << summary->unsaved << " fetched result(s) were not saved" << Qt::endl;
    out() << summary->line() << Qt::endl;
    if (const QString advice = summary->rateLimitAdvice(
            QStringLiteral("--rate R, or --rate auto to learn it"), QStringLiteral("--max-wait S"));
        !advice.isEmpty())
        err() << "vigil fetch: " << advice << Qt::endl;
    const bool allOk = summary->failed + summary->timeout + summary->cancelled == 0 &&
                       summary->writeError.isEmpty();
    co_return allOk ? kExitOk : kExitFailed;
}

const QHash<QString, QString> kFlagOfField = {
    {QStringLiteral("items"), QStringLiteral("--items/--count")},
    {QStringLiteral("template"), QStringLiteral("--template")},
    {QStringLiteral("method"), QStringLiteral("--method")},
    {QStringLiteral("body"), QStringLiteral("--body")},
    {QStringLiteral("concurrency"), QStringLiteral("--concurrency")},
    {QStringLiteral("perHost"), QStringLiteral("--per-host")},
    {QStringLiteral("breaker"), QStringLiteral("--breaker")},
    {QStringLiteral("rate"), QStringLiteral("--rate")},
    {QStringLiteral("timeout"), QStringLiteral("--timeout-ms")},
    {QStringLiteral("retries"), QStringLiteral("--retries")},
    {QStringLiteral("maxWait"), QStringLiteral("--max-wait")},
    {QStringLiteral("fields"), QStringLiteral("--field")},
    {QStringLiteral("headers"), QStringLiteral("--header")},
};
/// The flags of `vigil fetch`.
struct FetchFlags {
    QCommandLineOption templ{
        QStringLiteral("template"),
        QStringLiteral("URL with {item}, e.g. http://127.0.0.1:8080/item/{item}; {item} alone: "
                       "each item is a whole URL (endpoints over many hosts)"),
        QStringLiteral("T")};
    QCommandLineOption items{
        QStringLiteral("items"),
        QStringLiteral("File with one item per line, or - for stdin; a .csv or .tsv file is a "
                       "table whose header names the {column} placeholders."),
        QStringLiteral("FILE")};
    QCommandLineOption itemsFormat{
        QStringLiteral("items-format"),
        QStringLiteral("lines, csv or tsv (default: by the file's extension; stdin: lines)."),
        QStringLiteral("F")};
    QCommandLineOption method{QStringLiteral("method"),
                              QStringLiteral("GET (default), POST or PUT."), QStringLiteral("M"),
                              QStringLiteral("GET")};
    QCommandLineOption body{
        QStringLiteral("body"),
        QStringLiteral("Request body template, with the URL's placeholders; @FILE reads it from "
                       "a file. Values are JSON-escaped in a JSON body."),
        QStringLiteral("TEXT|@FILE")};
    QCommandLineOption contentType{QStringLiteral("content-type"),
                                   QStringLiteral("The body's type (default application/json)."),
                                   QStringLiteral("TYPE"), QStringLiteral("application/json")};
    QCommandLineOption retryUnsafe{
        QStringLiteral("retry-unsafe"),
        QStringLiteral(
            "Retry POST requests too (sent once otherwise: a retry could do it twice).")};
    QCommandLineOption count{QStringLiteral("count"), QStringLiteral("Use the items 0..N-1."),
                             QStringLiteral("N")};
    QCommandLineOption concurrency{QStringLiteral("concurrency"),
                                   QStringLiteral("Requests in flight at most (default 10)."),
                                   QStringLiteral("C"), QStringLiteral("10")};
    QCommandLineOption perHost{
        QStringLiteral("per-host"),
        QStringLiteral("Requests in flight at most per host (default 0: only --concurrency); "
                       "auto[:N]: fewer when a host's latency climbs above its baseline. A "
                       "full, paused or rate-limited host never holds up the others."),
        QStringLiteral("N|auto[:N]"), QStringLiteral("0")};
    QCommandLineOption breaker{
        QStringLiteral("breaker"),
        QStringLiteral("A host whose items fail N times in a row (timeouts, network errors, 5xx) "
                       "gets a 10 s time-out while the others go on; one item then probes it, and "
                       "after 3 time-outs its remaining items fail unsent (default 0: off)."),
        QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption rate{
        QStringLiteral("rate"),
        QStringLiteral("Requests per second per host; 0 = no limit (default). auto learns each "
                       "host's limit from its 429s and RateLimit headers; auto:MIN-MAX bounds it."),
        QStringLiteral("R|auto"), QStringLiteral("0")};
    QCommandLineOption timeout{QStringLiteral("timeout-ms"),
                               QStringLiteral("Total deadline per attempt (default 10000)."),
                               QStringLiteral("MS"), QStringLiteral("10000")};
    QCommandLineOption retries{
        QStringLiteral("retries"),
        QStringLiteral("Extra attempts after a retryable failure (default 2)."),
        QStringLiteral("K"), QStringLiteral("2")};
    QCommandLineOption maxWait{
        QStringLiteral("max-wait"),
        QStringLiteral("Seconds one item may wait, in all, for servers that answer 429/503 with "
                       "Retry-After; these waits use up no retry (default 300)."),
        QStringLiteral("S"), QStringLiteral("300")};
    QCommandLineOption failFast{QStringLiteral("fail-fast"),
                                QStringLiteral("Stop everything at the first failure.")};
    QCommandLineOption outFile{
        QStringLiteral("out"),
        QStringLiteral("JSONL journal of results; a rerun skips items already ok in it."),
        QStringLiteral("FILE.jsonl")};
    QCommandLineOption field{QStringLiteral("field"),
                             QStringLiteral("A result column: NAME=/json/pointer (repeatable)."),
                             QStringLiteral("NAME=/ptr")};
    QCommandLineOption header{QStringLiteral("header"),
                              QStringLiteral("A request header, 'Name: value' (repeatable)."),
                              QStringLiteral("H")};
    QCommandLineOption compute{QStringLiteral("compute"),
                               QStringLiteral("A CPU stage after each fetch: kinetics."),
                               QStringLiteral("STAGE")};
    QCommandLineOption quiet{QStringLiteral("quiet"), QStringLiteral("No progress line.")};
    QCommandLineOption har{
        QStringLiteral("har"),
        QStringLiteral("Also write every request's phases as an HTTP Archive (HAR 1.2), secrets "
                       "redacted, for browser devtools and HAR viewers."),
        QStringLiteral("FILE.har")};

    void addTo(QCommandLineParser &parser) const {
        parser.addOptions({templ,       items,       itemsFormat, count,    method,  body,
                           contentType, retryUnsafe, concurrency, perHost,  breaker, rate,
                           timeout,     retries,     maxWait,     failFast, outFile, field,
                           header,      compute,     quiet,       har});
    }
};

/// The items from --items or --count; a usage error's exit code when neither or both are given.
std::optional<int> readItemFlags(const QCommandLineParser &parser, const FetchFlags &f,
                                 fetch::BatchSpec &spec) {
    if (parser.isSet(f.items) == parser.isSet(f.count))
        return usageError("fetch",
                          QStringLiteral("give exactly one of --items FILE and --count N"));
    if (parser.isSet(f.items)) {
        const QString source = parser.value(f.items);
        auto format = fetch::itemFormatForFile(source);
        if (parser.isSet(f.itemsFormat)) {
            const auto named = fetch::itemFormatFromName(parser.value(f.itemsFormat));
            if (!named)
                return usageError("fetch", QStringLiteral("--items-format is lines, csv or tsv"));
            format = *named;
        }
        QString error;
        auto table = readItems(source, format, &error);
        if (!table)
            return usageError("fetch", error);
        spec.items = std::move(table->records);
        spec.columns = table->columns;
        spec.separator = fetch::separatorOf(format);
        return std::nullopt;
    }
    if (parser.isSet(f.itemsFormat))
        return usageError("fetch", QStringLiteral("--items-format goes with --items"));
    bool ok = false;
    const int n = parser.value(f.count).toInt(&ok);
    if (!ok || n < 1 || n > fetch::kMaxItems)
        return usageError(
            "fetch",
            QStringLiteral("--count must be a whole number from 1 to %1").arg(fetch::kMaxItems));
    spec.items = fetch::ItemList::range(n);
    return std::nullopt;
}

/// Concurrency, timeout, retries and rate; a usage error's exit code when one is not a number.
std::optional<int> readLimitFlags(const QCommandLineParser &parser, const FetchFlags &f,
                                  fetch::BatchSpec &spec) {
    const auto wholeNumber = [&parser](const QCommandLineOption &o, int &target) {
        bool ok = false;
        target = parser.value(o).toInt(&ok);
        return ok;
    };
    int timeoutMs = 0;
    int maxWaitS = 0;
    QString rateError;
    const auto rate = fetch::parseRateSetting(parser.value(f.rate), &rateError);
    if (!wholeNumber(f.concurrency, spec.concurrency))
        return usageError("fetch", QStringLiteral("--concurrency must be a whole number"));
    // auto, or auto:N: each host's limit follows its latency, up to N (or --concurrency).
    const QString perHost = parser.value(f.perHost);
    spec.perHostAuto =
        perHost == QLatin1String("auto") || perHost.startsWith(QLatin1String("auto:"));
    bool perHostOk = false;
    spec.perHost = perHost == QLatin1String("auto")
                       ? 0
                       : perHost.mid(spec.perHostAuto ? 5 : 0).toInt(&perHostOk);
    if (!perHostOk && perHost != QLatin1String("auto"))
        return usageError("fetch",
                          QStringLiteral("--per-host must be a whole number, auto or auto:N"));
    if (!wholeNumber(f.breaker, spec.breaker.failures))
        return usageError("fetch", QStringLiteral("--breaker must be a whole number"));
    if (!wholeNumber(f.timeout, timeoutMs))
        return usageError("fetch", QStringLiteral("--timeout-ms must be a whole number"));
    if (!wholeNumber(f.retries, spec.retries))
        return usageError("fetch", QStringLiteral("--retries must be a whole number"));
    if (!wholeNumber(f.maxWait, maxWaitS))
        return usageError("fetch", QStringLiteral("--max-wait must be a whole number"));
    if (!rate)
        return usageError("fetch", QStringLiteral("--rate: %1").arg(rateError));
    spec.ratePerHost = rate->perHost;
    spec.autoRate = rate->adaptive;
    spec.timeout = std::chrono::milliseconds(timeoutMs);
    spec.maxServerWait = std::chrono::seconds(maxWaitS);
    return std::nullopt;
}

/// Fields, headers and the compute stage; a usage error's exit code when one is malformed.
std::optional<int> readRequestFlags(const QCommandLineParser &parser, const FetchFlags &f,
                                    fetch::BatchSpec &spec) {
    for (const auto &text : parser.values(f.field)) {
        QString error;
        const auto parsed = fetch::parseFieldSpec(text, &error);
        if (!parsed)
            return usageError("fetch", error);
        spec.fields << *parsed;
    }
    for (const auto &h : parser.values(f.header)) {
        const qsizetype colon = h.indexOf(u':');
        if (colon <= 0)
            return usageError("fetch",
                              QStringLiteral("--header takes 'Name: value', got '%1'").arg(h));
        spec.headers.append(
            {h.left(colon).trimmed().toUtf8(), h.mid(colon + 1).trimmed().toUtf8()});
    }
    spec.method = parser.value(f.method).toUpper().toLatin1();
    if (parser.isSet(f.body)) {
        QString error;
        const auto text = readBody(parser.value(f.body), &error);
        if (!text)
            return usageError("fetch", error);
        spec.bodyTemplate = *text;
    }
    spec.contentType = parser.value(f.contentType);
    spec.retryUnsafe = parser.isSet(f.retryUnsafe);
    if (parser.isSet(f.compute)) {
        if (parser.value(f.compute) != QLatin1String("kinetics"))
            return usageError("fetch", QStringLiteral("--compute knows one stage: kinetics"));
        spec.compute = fetch::ComputeStage::Kinetics;
    }
    return std::nullopt;
}

/// The whole batch from the flags, validated; a usage error's exit code when it is not one.
std::optional<int> readSpec(const QCommandLineParser &parser, const FetchFlags &f,
                            fetch::BatchSpec &spec) {
    if (!parser.positionalArguments().isEmpty())
        return usageError(
            "fetch",
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    if (!parser.isSet(f.templ))
        return usageError("fetch", QStringLiteral("--template is required"));
    spec.urlTemplate = parser.value(f.templ);
    spec.failFast = parser.isSet(f.failFast);
    if (auto code = readItemFlags(parser, f, spec))
        return code;
    if (auto code = readLimitFlags(parser, f, spec))
        return code;
    if (auto code = readRequestFlags(parser, f, spec))
        return code;
    if (const auto problems = fetch::validate(spec); !problems.isEmpty()) {
        const auto &p = problems.first();
        return usageError("fetch", kFlagOfField.value(p.field) + QStringLiteral(": ") + p.message);
    }
    return std::nullopt;
}
/// Keeps @p shard's part of the items; false (and says so) when it holds none of them.
bool takeShard(fetch::Shard shard, fetch::BatchSpec &spec, bool quiet) {
    const qsizetype all = spec.items.size();
    spec.items = fetch::shardItems(spec.items, shard);
    spec.shard = shard.label();
    if (!quiet || spec.items.isEmpty())
        err() << "shard " << shard.label() << ": " << spec.items.size() << " of " << all << " items"
              << (spec.items.isEmpty() ? QStringLiteral(", nothing to do") : QString()) << Qt::endl;
    return !spec.items.isEmpty();
}

/// Puts the HAR file in place once the batch has ended, however it ended; an exit code that
/// says the file could not be written.
int commitHar(io::HarWriter &har, int code) {
    QString error;
    if (!har.commit(&error)) {
        err() << "vigil fetch: " << error << Qt::endl;
        return std::max(code, kExitFailed);
    }
    if (har.leftOut() > 0)
        err() << "vigil fetch: the HAR file leaves out " << har.leftOut()
              << " item(s) that were never sent" << Qt::endl;
    return code;
}
} // namespace

int runFetch(const QStringList &args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Fetch a URL for every item, N at a time, politely: per-host rate limit, retries that "
        "honour Retry-After, and a JSONL journal that a rerun resumes from. Ends with one summary "
        "line. Exit code 0: all ok; 1: some items failed, or the journal could not be written; 2: "
        "usage "
        "error; 130: interrupted by Ctrl+C (finished results are kept, a rerun resumes)."));
    parser.addHelpOption();
    const FetchFlags flags;
    flags.addTo(parser);
    CliMetrics metrics;
    metrics.addTo(parser);
    const ShardFlags shardFlags;
    shardFlags.addTo(parser);
    if (const auto code = parseOrExit(parser, args, "fetch"))
        return *code;
    fetch::BatchSpec spec;
    if (const auto code = readSpec(parser, flags, spec))
        return *code;
    std::optional<fetch::Shard> shard;
    if (const auto code = shardFlags.read(parser, "fetch", &shard))
        return *code;
    if (shard && !takeShard(*shard, spec, parser.isSet(flags.quiet)))
        return kExitOk;
    if (const auto code = metrics.start(parser, "fetch"))
        return *code;
    if (shard && metrics.isServing())
        metrics::addShardInfo(metrics.registry(), metrics.owner(), shard->index, shard->count);

    net::HttpClient client;
    fetch::BatchRunner runner(client, async::Clock::system());
    metrics::addTransferMetrics(metrics.registry(), &runner, metrics::TransferKind::Batch,
                                runner.counters());
    FetchProgress progress(!parser.isSet(flags.quiet) && stderrIsTerminal());
    QTimer heldTicker; // the held items change while nothing finishes (a host's time-out)
    QObject::connect(&heldTicker, &QTimer::timeout, &runner,
                     [&progress, &runner] { progress.showHeld(runner.held()); });
    heldTicker.start(1000);
    QObject::connect(&runner, &fetch::BatchRunner::started, &runner,
                     [&progress](int total, int skipped) { progress.start(total, skipped); });
    QObject::connect(&runner, &fetch::BatchRunner::itemFinished, &runner,
                     [&progress](const fetch::ItemResult &r) { progress.add(r); });
    std::optional<io::HarWriter> har;
    if (parser.isSet(flags.har)) {
        har.emplace(io::HarWriter::Context::forBatch(spec));
        if (QString error; !har->open(parser.value(flags.har), &error))
            return usageError("fetch", error);
        QObject::connect(&runner, &fetch::BatchRunner::itemFinished, &runner,
                         [&har](const fetch::ItemResult &r) { har->add(r); });
    }
    onInterrupt([&runner, &metrics] {
        err() << "\ninterrupted: stopping; finished results are kept" << Qt::endl;
        runner.cancel();
        metrics.stopLingering();
    });
    const int code = runOnLoop(
        metrics.lingerAfter(fetchMain(runner, spec, parser.value(flags.outFile), progress)));
    // A batch that could not start leaves no file (QSaveFile discards it unless committed).
    return har && code != kExitUsage ? commitHar(*har, code) : code;
}

} // namespace vigil::cli
