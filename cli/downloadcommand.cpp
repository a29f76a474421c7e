// SPDX-License-Identifier: Apache-2.0
#include "climetrics.h"
#include "clisupport.h"
#include "shardflags.h"

#include "util/printable.h"
#include "util/safefile.h"

#include "async/clock.h"
#include "fetch/downloader.h"
#include "fetch/downloadnames.h"
#include "fetch/downloadspec.h"
#include "metrics/vigilmetrics.h"
#include "net/httpclient.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>

namespace vigil::cli {

namespace {
/// The live line on stderr: files done, throughput, bytes and ETA, at most 10 redraws a second.
class DownloadProgressLine {
public:
    DownloadProgressLine(bool enabled, int files)
        : m_enabled(enabled)
        , m_files(files)
        , m_rows(std::size_t(files)) {
        m_clock.start();
    }

    void update(const fetch::DownloadProgress &p) {
        m_rows[std::size_t(p.index)] = p;
        if (!m_enabled || (m_lastDraw.isValid() && m_lastDraw.elapsed() < 100))
            return;
        m_lastDraw.start();
        int done = 0;
        qint64 bytes = 0, total = 0;
        double speed = 0;
        for (const auto &r : m_rows) {
            done += r.state == fetch::DownloadState::Done;
            bytes += r.bytes;
            total += std::max<qint64>(r.total, r.bytes);
            speed += r.bytesPerSecond;
        }
        const double eta = speed > 0 ? double(total - bytes) / speed : 0;
        err() << "\r\x1b[K" << done << '/' << m_files << " files  "
              << QString::number(speed / 1e6, 'f', 1) << " MB/s  "
              << QString::number(double(bytes) / 1e6, 'f', 1) << " of "
              << QString::number(double(total) / 1e6, 'f', 1) << " MB  ETA "
              << QString::number(eta, 'f', 0) << " s" << Qt::flush;
    }

    void clear() {
        if (m_enabled && m_lastDraw.isValid())
            err() << "\r\x1b[K" << Qt::flush;
    }

private:
    bool m_enabled;
    int m_files;
    std::vector<fetch::DownloadProgress> m_rows;
    QElapsedTimer m_clock;
    QElapsedTimer m_lastDraw;
};

QCoro::Task<int> downloadMain(fetch::Downloader &downloader, QList<fetch::DownloadItem> items,
                              fetch::DownloadOptions options, DownloadProgressLine &line) {
    QStringList failures;
    // A file nobody named ("…/dir/", saved as download-N unless the server names it) is told by
    // its URL: "download-2" would not say which one failed.
    QStringList urls;
    QList<bool> unnamed;
    for (const auto &item : items) {
        urls << util::redactedUrlText(item.url.toString());
        unnamed << (item.targetName.isEmpty() && fetch::fileNameFromUrl(item.url).isEmpty());
    }
    QObject::connect(&downloader, &fetch::Downloader::progress, &downloader,
                     [&](const fetch::DownloadProgress &p) {
                         line.update(p);
                         if (p.state != fetch::DownloadState::Failed)
                             return;
                         const bool fallback =
                             unnamed.value(p.index) && p.name == fetch::fallbackFileName(p.index);
                         failures << (p.name.isEmpty() || fallback ? urls.value(p.index) : p.name) +
                                         QStringLiteral(": ") + p.error;
                     });
    const auto summary = co_await downloader.run(std::move(items), std::move(options));
    line.clear();
    for (const auto &f : failures)
        err() << "failed: " << util::printable(f) << Qt::endl; // names and reasons: servers
    out() << summary.line() << Qt::endl;
    co_return summary.failed + summary.cancelled + summary.unfinished == 0 ? kExitOk : kExitFailed;
}

/// The CLI's wording for a form problem: flags where the Downloads tab has fields.
QString cliMessage(const fetch::DownloadProblem &problem, const QString &shaFile) {
    if (problem.field == QLatin1String("folder"))
        return QStringLiteral("--out DIR is required");
    if (problem.field == QLatin1String("concurrency"))
        return QStringLiteral("--concurrency must be a whole number from 1 to %1")
            .arg(fetch::DownloadSpec::kMaxConcurrency);
    if (problem.field == QLatin1String("bandwidth"))
        return QStringLiteral(
            "--limit-rate takes bytes/s with an optional K, M or G (10^3, 10^6, 10^9) or Ki, Mi, "
            "Gi (2^10, 2^20, 2^30), e.g. 2M for 2 MB/s");
    if (problem.field == QLatin1String("rate"))
        return QStringLiteral("--rate: %1").arg(problem.message);
    if (problem.field == QLatin1String("checksums"))
        return QStringLiteral("--sha256 %1: %2").arg(shaFile, problem.message);
    return problem.message;
}

struct DownloadFlags {
    QCommandLineOption urls{QStringLiteral("urls"), QStringLiteral("File with one URL per line."),
                            QStringLiteral("FILE")};
    QCommandLineOption outDir{QStringLiteral("out"), QStringLiteral("Output folder (required)."),
                              QStringLiteral("DIR")};
    QCommandLineOption concurrency{QStringLiteral("concurrency"),
                                   QStringLiteral("Downloads at once (default 4)."),
                                   QStringLiteral("C"), QStringLiteral("4")};
    QCommandLineOption sha{QStringLiteral("sha256"),
                           QStringLiteral("Checksums in sha256sum format, matched by file name."),
                           QStringLiteral("FILE")};
    QCommandLineOption limit{
        QStringLiteral("limit-rate"),
        QStringLiteral("Total bandwidth cap in bytes/s: K, M, G are 10^3, 10^6, "
                       "10^9 (2M = 2 MB/s); Ki, Mi, Gi are 2^10, 2^20, 2^30."),
        QStringLiteral("N[K|M|G]")};
    QCommandLineOption rate{
        QStringLiteral("rate"),
        QStringLiteral("Requests per second per host; 0 = no limit (default). auto learns each "
                       "host's limit from its 429s and RateLimit headers; auto:MIN-MAX bounds it."),
        QStringLiteral("R|auto")};
    QCommandLineOption overwrite{QStringLiteral("overwrite"),
                                 QStringLiteral("Replace files that already exist.")};
    QCommandLineOption quiet{QStringLiteral("quiet"), QStringLiteral("No progress line.")};

    void addTo(QCommandLineParser &parser) const {
        parser.setApplicationDescription(QStringLiteral(
            "Download files, C at a time, straight to disk as NAME.part; verify size and SHA-256; "
            "rename to NAME only when complete. Rerunning resumes interrupted files and skips "
            "complete ones (checked by SHA-256 when given, else by size with one Range request). "
            "Exit code 0: all ok; 1: some failed; 2: usage error; 130: interrupted by Ctrl+C."));
        parser.addHelpOption();
        parser.addPositionalArgument(QStringLiteral("URL"),
                                     QStringLiteral("URLs to download (or use --urls)."),
                                     QStringLiteral("[URL...]"));
        parser.addOptions({urls, outDir, concurrency, sha, limit, rate, overwrite, quiet});
    }
};

/// Reads @p path into @p text; false with a usage message in @p error when it cannot.
bool readFlagFile(const char *flag, const QString &path, QString *text, QString *error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read --%1 %2: %3")
                     .arg(QLatin1String(flag), path, f.errorString());
        return false;
    }
    *text = QString::fromUtf8(f.readAll());
    return true;
}

/// The form the flags describe: positional URLs first, then the --urls file's lines.
std::optional<fetch::DownloadForm> formFromFlags(const QCommandLineParser &parser,
                                                 const DownloadFlags &flags, QString *error) {
    fetch::DownloadForm form;
    QStringList urlText = parser.positionalArguments();
    if (parser.isSet(flags.urls)) {
        QString fileText;
        if (!readFlagFile("urls", parser.value(flags.urls), &fileText, error))
            return std::nullopt;
        urlText << fileText;
    }
    if (parser.isSet(flags.sha) &&
        !readFlagFile("sha256", parser.value(flags.sha), &form.checksums, error))
        return std::nullopt;
    form.urls = urlText.join(u'\n');
    form.folder = parser.value(flags.outDir);
    form.concurrency = parser.value(flags.concurrency);
    form.bandwidth = parser.value(flags.limit);
    form.rate = parser.value(flags.rate);
    form.overwrite = parser.isSet(flags.overwrite);
    return form;
}
/// Keeps @p shard's part of @p items (by the URL as Vigil writes it), each named as in the whole
/// batch, from its URL: shards that share a folder never claim the same file, where each alone
/// would have numbered only its own clashes. Returns how many items there were.
qsizetype takeShard(QList<fetch::DownloadItem> &items, fetch::Shard shard) {
    fetch::BatchNames names;
    for (qsizetype i = 0; i < items.size(); ++i) {
        fetch::DownloadItem &item = items[i];
        QString name = fetch::sanitizeFileName(
            item.targetName.isEmpty() ? fetch::fileNameFromUrl(item.url) : item.targetName);
        if (name.isEmpty())
            name = fetch::fallbackFileName(int(i));
        item.targetName = names.claimPart(int(i), name);
    }
    const qsizetype all = items.size();
    items.removeIf([shard](const fetch::DownloadItem &item) {
        return !fetch::inShard(item.url.toString(QUrl::FullyEncoded), shard);
    });
    return all;
}
} // namespace

int runDownload(const QStringList &args) {
    QCommandLineParser parser;
    const DownloadFlags flags;
    flags.addTo(parser);
    CliMetrics metrics;
    metrics.addTo(parser);
    const ShardFlags shardFlags;
    shardFlags.addTo(parser);
    if (const auto code = parseOrExit(parser, args, "download"))
        return *code;
    if (parser.positionalArguments().isEmpty() && !parser.isSet(flags.urls))
        return usageError("download", QStringLiteral("give URLs as arguments or with --urls FILE"));
    if (!parser.isSet(flags.outDir))
        return usageError("download", QStringLiteral("--out DIR is required"));
    QString error;
    const auto form = formFromFlags(parser, flags, &error);
    if (!form)
        return usageError("download", error);
    const fetch::DownloadSpecParse parsed = fetch::parseDownloadForm(*form);
    if (!parsed.problems.isEmpty())
        return usageError("download", cliMessage(parsed.problems.first(), parser.value(flags.sha)));
    QList<fetch::DownloadItem> items = parsed.spec.items;
    std::optional<fetch::Shard> shard;
    if (const auto code = shardFlags.read(parser, "download", &shard))
        return *code;
    if (shard) {
        const qsizetype all = takeShard(items, *shard);
        err() << "shard " << shard->label() << ": " << items.size() << " of " << all << " URLs"
              << Qt::endl;
        if (items.isEmpty())
            return kExitOk;
    }
    if (const auto code = metrics.start(parser, "download"))
        return *code;
    if (shard && metrics.isServing())
        metrics::addShardInfo(metrics.registry(), metrics.owner(), shard->index, shard->count);

    net::HttpClient client;
    fetch::Downloader downloader(client, async::Clock::system());
    metrics::addTransferMetrics(metrics.registry(), &downloader, metrics::TransferKind::Download,
                                downloader.counters());
    DownloadProgressLine line(!parser.isSet(flags.quiet) && stderrIsTerminal(), int(items.size()));
    onInterrupt([&downloader, &metrics] {
        metrics.stopLingering();
        err() << "\ninterrupted: keeping partial files; run the same command again to resume"
              << Qt::endl;
        downloader.interrupt();
    });
    return runOnLoop(
        metrics.lingerAfter(downloadMain(downloader, items, parsed.spec.options, line)));
}

} // namespace vigil::cli
