// SPDX-License-Identifier: Apache-2.0
#include "downloadspec.h"

#include "batchspec.h"
#include "downloadnames.h"

#include "net/httptypes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace vigil::fetch {

namespace {
/// A pasted URL can be a whole page of text; the message quotes only its start.
constexpr qsizetype kQuotedChars = 80;

void checkChecksums(const QString &text, DownloadSpecParse &out, QHash<QString, QString> *digests) {
    const auto sums = parseSha256Sums(text.toUtf8());
    for (qsizetype i = 0; i < sums.problems.size(); ++i)
        out.problems.append({QStringLiteral("checksums"), sums.problemLines.value(i),
                             QStringLiteral("Checksums, %1").arg(sums.problems[i])});
    *digests = sums.digests;
}

/// Checksums listed under names no URL has, while some URLs got none: the list names the files
/// otherwise than their URLs do (a server's Content-Disposition name, say), and those files
/// would be downloaded unchecked without a word. A list for more files than the URLs is fine.
void checkUnmatchedChecksums(const QHash<QString, QString> &digests, const QSet<QString> &names,
                             int unchecked, DownloadSpecParse &out) {
    if (unchecked == 0)
        return;
    QStringList unmatched;
    for (auto it = digests.begin(); it != digests.end(); ++it) {
        if (!names.contains(it.key()))
            unmatched << it.key();
    }
    if (unmatched.isEmpty())
        return;
    unmatched.sort();
    const QString listed = unmatched.size() <= 3
                               ? unmatched.join(QStringLiteral(", "))
                               : unmatched.mid(0, 3).join(QStringLiteral(", ")) +
                                     QStringLiteral(" and %1 more").arg(unmatched.size() - 3);
    out.problems.append(
        {QStringLiteral("checksums"), 0,
         QStringLiteral("Checksums, %1: no URL ends in that file name, and %2 of the files would "
                        "not be checked. A checksum is matched to the last part of the URL's "
                        "path; list the files by those names")
             .arg(listed)
             .arg(unchecked)});
}

void checkLimits(const DownloadForm &form, DownloadSpecParse &out) {
    auto &options = out.spec.options;
    options.outDir = form.folder.trimmed();
    if (options.outDir.isEmpty())
        out.problems.append({QStringLiteral("folder"), 0, QStringLiteral("Choose a folder")});
    bool ok = false;
    options.concurrency = form.concurrency.trimmed().toInt(&ok);
    if (!ok || options.concurrency < 1 || options.concurrency > DownloadSpec::kMaxConcurrency)
        out.problems.append({QStringLiteral("concurrency"), 0,
                             QStringLiteral("Concurrency must be a whole number from 1 to %1")
                                 .arg(DownloadSpec::kMaxConcurrency)});
    if (!form.bandwidth.trimmed().isEmpty()) {
        const auto rate = parseByteRate(form.bandwidth);
        if (!rate)
            out.problems.append({QStringLiteral("bandwidth"), 0,
                                 QStringLiteral("Bandwidth: bytes/s with an optional K, M or G "
                                                "(10^3, 10^6, 10^9; Ki, Mi, Gi for "
                                                "2^10, 2^20, 2^30), e.g. 2M for 2 MB/s")});
        options.bandwidth = rate.value_or(0);
    }
    if (!form.rate.trimmed().isEmpty()) {
        QString why;
        const auto rate = parseRateSetting(form.rate, &why);
        if (!rate)
            out.problems.append({QStringLiteral("rate"), 0, why});
        options.requestsPerSecondPerHost = rate ? rate->perHost : 0;
        options.autoRate = rate ? rate->adaptive : std::nullopt;
    }
    options.overwrite = form.overwrite;
}
} // namespace

QString downloadStateName(DownloadState state) {
    static const char *const names[] = {"queued", "connecting", "downloading", "verifying",
                                        "done",   "failed",     "paused",      "cancelled"};
    return QString::fromLatin1(names[int(state)]);
}

QList<QUrl> parseUrlList(const QString &text, QList<DownloadProblem> *problems) {
    QList<QUrl> urls;
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const QUrl url(line, QUrl::StrictMode);
        if (net::isHttpUrl(url)) {
            urls << url;
            continue;
        }
        problems->append({QStringLiteral("urls"), int(i + 1),
                          QStringLiteral("URL line %1 is not an http(s) URL: %2")
                              .arg(i + 1)
                              .arg(line.left(kQuotedChars))});
    }
    return urls;
}

DownloadSpecParse parseDownloadForm(const DownloadForm &form) {
    DownloadSpecParse out;
    const QList<QUrl> urls = parseUrlList(form.urls, &out.problems);
    if (urls.isEmpty() && out.problems.isEmpty())
        out.problems.append({QStringLiteral("urls"), 0, QStringLiteral("Add at least one URL")});
    QHash<QString, QString> digests;
    checkChecksums(form.checksums, out, &digests);
    checkLimits(form, out);
    QSet<QString> names;
    int unchecked = 0;
    for (const QUrl &url : urls) {
        const QString name = fileNameFromUrl(url);
        names.insert(name);
        unchecked += !digests.contains(name);
        out.spec.items << DownloadItem{url, digests.value(name), {}};
    }
    checkUnmatchedChecksums(digests, names, unchecked, out);
    return out;
}

QByteArray sessionJson(const DownloadSpec &spec, const QList<DownloadState> &states) {
    QJsonArray items;
    for (qsizetype i = 0; i < spec.items.size(); ++i) {
        const DownloadState state = states.value(i, DownloadState::Queued);
        items.append(QJsonObject{{QStringLiteral("url"), spec.items[i].url.toString()},
                                 {QStringLiteral("sha256"), spec.items[i].sha256},
                                 {QStringLiteral("state"), downloadStateName(state)}});
    }
    const QJsonObject session{
        {QStringLiteral("folder"), spec.options.outDir},
        {QStringLiteral("concurrency"), spec.options.concurrency},
        {QStringLiteral("bandwidth"), double(spec.options.bandwidth)},
        {QStringLiteral("rate"),
         rateSettingText({spec.options.requestsPerSecondPerHost, spec.options.autoRate})},
        {QStringLiteral("overwrite"), spec.options.overwrite},
        {QStringLiteral("items"), items}};
    return QJsonDocument(session).toJson(QJsonDocument::Compact);
}

std::optional<DownloadForm> formFromSession(QByteArrayView json) {
    const QJsonObject session = QJsonDocument::fromJson(json.toByteArray()).object();
    QStringList urls, sums;
    for (const auto &v : session.value(QStringLiteral("items")).toArray()) {
        const QJsonObject item = v.toObject();
        const QString state = item.value(QStringLiteral("state")).toString();
        if (state == downloadStateName(DownloadState::Done) ||
            state == downloadStateName(DownloadState::Cancelled))
            continue;
        const QUrl url(item.value(QStringLiteral("url")).toString());
        urls << url.toString();
        const QString sha = item.value(QStringLiteral("sha256")).toString();
        if (isSha256Hex(sha))
            sums << sha + QStringLiteral("  ") + fileNameFromUrl(url);
    }
    if (urls.isEmpty())
        return std::nullopt;
    DownloadForm form;
    form.urls = urls.join(u'\n');
    form.checksums = sums.join(u'\n');
    form.folder = session.value(QStringLiteral("folder")).toString();
    form.concurrency = QString::number(session.value(QStringLiteral("concurrency")).toInt(4));
    const qint64 bandwidth = qint64(session.value(QStringLiteral("bandwidth")).toDouble());
    form.bandwidth = bandwidth > 0 ? QString::number(bandwidth) : QString();
    form.rate = session.value(QStringLiteral("rate")).toString();
    form.overwrite = session.value(QStringLiteral("overwrite")).toBool();
    return form;
}

} // namespace vigil::fetch
