#include "clisupport.h"

#include "async/clock.h"
#include "fetch/downloader.h"
#include "fetch/downloadnames.h"
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
    QObject::connect(&downloader, &fetch::Downloader::progress, &downloader,
                     [&](const fetch::DownloadProgress &p) {
                         line.update(p);
                         if (p.state == fetch::DownloadState::Failed)
                             failures << p.name + QStringLiteral(": ") + p.error;
                     });
    const auto summary = co_await downloader.run(std::move(items), std::move(options));
    line.clear();
    for (const auto &f : failures)
        err() << "failed: " << f << Qt::endl;
    out() << summary.line() << Qt::endl;
    co_return summary.failed + summary.cancelled + summary.unfinished == 0 ? kExitOk : kExitFailed;
}
} // namespace

int runDownload(const QStringList &args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Download files, C at a time, straight to disk as NAME.part; verify size and SHA-256; "
        "rename "
        "to NAME only when complete. Rerunning after an interruption resumes. Exit code 0: all ok; "
        "1: some failed; 2: usage error."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("URL"),
                                 QStringLiteral("URLs to download (or use --urls)."),
                                 QStringLiteral("[URL...]"));
    const QCommandLineOption urls(QStringLiteral("urls"),
                                  QStringLiteral("File with one URL per line."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption outDir(
        QStringLiteral("out"), QStringLiteral("Output folder (required)."), QStringLiteral("DIR"));
    const QCommandLineOption concurrency(QStringLiteral("concurrency"),
                                         QStringLiteral("Downloads at once (default 4)."),
                                         QStringLiteral("C"), QStringLiteral("4"));
    const QCommandLineOption sha(
        QStringLiteral("sha256"),
        QStringLiteral("Checksums in sha256sum format, matched by file name."),
        QStringLiteral("FILE"));
    const QCommandLineOption limit(
        QStringLiteral("limit-rate"),
        QStringLiteral("Total bandwidth cap, e.g. 500K, 2M, 1G (bytes/s)."),
        QStringLiteral("N[K|M|G]"));
    const QCommandLineOption overwrite(QStringLiteral("overwrite"),
                                       QStringLiteral("Replace files that already exist."));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No progress line."));
    parser.addOptions({urls, outDir, concurrency, sha, limit, overwrite, quiet});
    if (const auto code = parseOrExit(parser, args, "download"))
        return *code;

    QStringList urlTexts = parser.positionalArguments();
    if (parser.isSet(urls)) {
        QFile f(parser.value(urls));
        if (!f.open(QIODevice::ReadOnly))
            return usageError("download", QStringLiteral("cannot read --urls %1: %2")
                                              .arg(parser.value(urls), f.errorString()));
        for (const auto &line : QString::fromUtf8(f.readAll()).split(u'\n')) {
            const QString t = line.trimmed();
            if (!t.isEmpty() && !t.startsWith(u'#'))
                urlTexts << t;
        }
    }
    if (urlTexts.isEmpty())
        return usageError("download", QStringLiteral("give URLs as arguments or with --urls FILE"));
    if (!parser.isSet(outDir))
        return usageError("download", QStringLiteral("--out DIR is required"));
    fetch::DownloadOptions options;
    options.outDir = parser.value(outDir);
    bool ok = false;
    options.concurrency = parser.value(concurrency).toInt(&ok);
    if (!ok || options.concurrency < 1 || options.concurrency > 256)
        return usageError("download",
                          QStringLiteral("--concurrency must be a whole number from 1 to 256"));
    if (parser.isSet(limit)) {
        const auto rate = fetch::parseByteRate(parser.value(limit));
        if (!rate)
            return usageError(
                "download",
                QStringLiteral(
                    "--limit-rate takes a number of bytes/s with an optional K, M or G, e.g. 2M"));
        options.bandwidth = *rate;
    }
    options.overwrite = parser.isSet(overwrite);
    QHash<QString, QString> digests;
    if (parser.isSet(sha)) {
        QFile f(parser.value(sha));
        if (!f.open(QIODevice::ReadOnly))
            return usageError("download", QStringLiteral("cannot read --sha256 %1: %2")
                                              .arg(parser.value(sha), f.errorString()));
        const auto list = fetch::parseSha256Sums(f.readAll());
        if (!list.problems.isEmpty())
            return usageError(
                "download",
                QStringLiteral("--sha256 %1, %2").arg(parser.value(sha), list.problems.first()));
        digests = list.digests;
    }
    QList<fetch::DownloadItem> items;
    for (const auto &text : urlTexts) {
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return usageError("download", QStringLiteral("not an http(s) URL: %1").arg(text));
        fetch::DownloadItem item{url, {}, {}};
        item.sha256 = digests.value(fetch::fileNameFromUrl(url));
        items << item;
    }

    net::HttpClient client;
    fetch::Downloader downloader(client, async::Clock::system());
    DownloadProgressLine line(!parser.isSet(quiet) && stderrIsTerminal(), int(items.size()));
    onInterrupt([&downloader] {
        err() << "\ninterrupted: keeping partial files; run the same command again to resume"
              << Qt::endl;
        downloader.interrupt();
    });
    return runOnLoop(downloadMain(downloader, items, options, line));
}

} // namespace vigil::cli
