// SPDX-License-Identifier: Apache-2.0
#include "harwriter.h"

#include "fetch/requesttemplate.h"
#include "net/headercheck.h"
#include "net/httpclient.h"
#include "util/safefile.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <cmath>

namespace vigil::io {

namespace {
/// Milliseconds to the microsecond, so that a reader's sum of the timings matches `time`.
double ms(double value) {
    return std::round(value * 1000.0) / 1000.0;
}

QString isoDate(double epochMs) {
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(epochMs)), Qt::UTC)
        .toString(Qt::ISODateWithMs);
}

QJsonArray nameValues(const net::RawHeaders &headers) {
    QJsonArray out;
    for (const auto &[name, value] : headers)
        out.append(QJsonObject{{QStringLiteral("name"), QString::fromLatin1(name)},
                               {QStringLiteral("value"), QString::fromLatin1(value)}});
    return out;
}

/// HAR's URLs have no fragment.
QString harUrl(const QString &url) {
    return QUrl(url).adjusted(QUrl::RemoveFragment).toString();
}

QJsonArray queryOf(const QString &url) {
    QJsonArray out;
    const QUrlQuery query(QUrl(url).query(QUrl::FullyEncoded));
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded))
        out.append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("value"), value}});
    return out;
}

/// HAR's timings: -1 where a phase did not apply; `time` is the sum of the others.
QJsonObject timingsOf(const fetch::AttemptPhases &a, double *total) {
    const net::ExchangeTiming &x = a.exchange;
    const double blocked = ms(a.waitsMs());
    const auto optional = [](float v) { return v < 0 ? -1.0 : ms(v); };
    const double dns = optional(x.dnsMs), connect = optional(x.connectMs);
    const double send = ms(x.sendMs), wait = ms(x.waitMs), receive = ms(x.receiveMs);
    *total = ms(blocked + std::max(0.0, dns) + std::max(0.0, connect) + send + wait + receive);
    return {{QStringLiteral("blocked"), blocked},
            {QStringLiteral("dns"), dns},
            {QStringLiteral("connect"), connect},
            {QStringLiteral("ssl"), optional(x.sslMs)},
            {QStringLiteral("send"), send},
            {QStringLiteral("wait"), wait},
            {QStringLiteral("receive"), receive},
            {QStringLiteral("_queued"), ms(a.queuedMs)},
            {QStringLiteral("_limit"), ms(a.limitMs)},
            {QStringLiteral("_backoff"), ms(a.backoffMs)}};
}

QJsonObject responseOf(const fetch::ItemResult &r, qsizetype i) {
    const fetch::AttemptPhases &a = r.timeline.at(i);
    const bool last = i + 1 == r.timeline.size();
    const bool answered = a.status > 0;
    const qint64 bytes = last && answered ? r.bytes : (answered ? 0 : -1);
    const QString mime =
        last && !r.contentType.isEmpty() ? r.contentType : QStringLiteral("x-unknown");
    return {
        {QStringLiteral("status"), a.status},
        {QStringLiteral("statusText"), QString()},
        {QStringLiteral("httpVersion"), answered ? QStringLiteral("HTTP/1.1") : QString()},
        {QStringLiteral("cookies"), QJsonArray()},
        {QStringLiteral("headers"), QJsonArray()},
        {QStringLiteral("content"),
         QJsonObject{{QStringLiteral("size"), std::max<qint64>(0, bytes)},
                     {QStringLiteral("mimeType"), mime}}},
        {QStringLiteral("redirectURL"), a.redirect ? harUrl(r.timeline.at(i + 1).url) : QString()},
        {QStringLiteral("headersSize"), -1},
        {QStringLiteral("bodySize"), bytes}};
}

/// What went wrong with record @p i: the journal's words for the item's end, the kind before.
QString errorOf(const fetch::ItemResult &r, qsizetype i) {
    const fetch::AttemptPhases &a = r.timeline.at(i);
    if (i + 1 == r.timeline.size() && r.status != fetch::ItemStatus::Ok)
        return r.error;
    if (a.error == net::HttpErrorKind::None)
        return {};
    const QString kind = net::errorKindName(a.error);
    return a.status > 0 ? QStringLiteral("%1 %2").arg(kind).arg(a.status) : kind;
}
} // namespace

HarWriter::Context HarWriter::Context::forBatch(const fetch::BatchSpec &spec) {
    Context context{spec.urlTemplate, spec.method, spec.headers, {}, spec.columns, spec.separator};
    if (!spec.bodyTemplate.isEmpty() && net::headerValue(spec.headers, "Content-Type").isEmpty())
        context.headers.append({"Content-Type", spec.contentType.toUtf8()});
    return context;
}

HarWriter::HarWriter(Context context)
    : m_context(std::move(context)) {
    m_context.title = util::redactedUrlText(m_context.title);
    m_shownHeaders = {{"User-Agent", net::HttpClient::userAgent()}};
    for (const auto &[name, value] : m_context.headers)
        m_shownHeaders.append({name, net::isSecretHeader(name, m_context.secretHeaders)
                                         ? QByteArray("REDACTED")
                                         : value});
}

net::RawHeaders HarWriter::headersOf(const fetch::ItemResult &r) const {
    net::RawHeaders shown = m_shownHeaders;
    fetch::BatchSpec items; // only what ItemValues reads: the item's columns
    items.columns = m_context.columns;
    items.separator = m_context.separator;
    const fetch::ItemValues values(items, r.item);
    for (auto &[name, value] : shown)
        if (value != "REDACTED" && value.contains('{'))
            value =
                fetch::fillTemplate(QString::fromUtf8(value), values, fetch::Escape::Raw).toUtf8();
    return shown;
}

bool HarWriter::open(const QString &path, QString *error) {
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, m_file.errorString());
        return false;
    }
    const QJsonObject creator{{QStringLiteral("name"), QStringLiteral("Vigil")},
                              {QStringLiteral("version"), QStringLiteral(VIGIL_VERSION)}};
    // The page comes last, once its start (the first batch's) is known: order in an object
    // does not matter to a reader.
    write(R"({"log":{"version":"1.2","creator":)" +
          QJsonDocument(creator).toJson(QJsonDocument::Compact) + R"(,"entries":[)");
    return true;
}

void HarWriter::add(const fetch::ItemResult &r) {
    if (r.timeline.isEmpty()) {
        ++m_leftOut;
        return;
    }
    if (m_zeroMs < 0)
        m_zeroMs = r.timelineZeroMs;
    QJsonObject request{{QStringLiteral("method"), QString::fromLatin1(m_context.method)},
                        {QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1")},
                        {QStringLiteral("cookies"), QJsonArray()},
                        {QStringLiteral("headers"), nameValues(headersOf(r))},
                        {QStringLiteral("headersSize"), -1},
                        // Each item's body differs and is not kept: its size is unknown.
                        {QStringLiteral("bodySize"), m_context.method == "GET" ? 0 : -1}};
    for (qsizetype i = 0; i < r.timeline.size(); ++i) {
        const fetch::AttemptPhases &a = r.timeline.at(i);
        request[QStringLiteral("url")] = harUrl(a.url);
        request[QStringLiteral("queryString")] = queryOf(a.url);
        double time = 0;
        const QJsonObject timings = timingsOf(a, &time);
        QJsonObject entry{
            {QStringLiteral("pageref"), QStringLiteral("batch")},
            {QStringLiteral("startedDateTime"), isoDate(double(r.timelineZeroMs) + a.startMs)},
            {QStringLiteral("time"), time},
            {QStringLiteral("request"), request},
            {QStringLiteral("response"), responseOf(r, i)},
            {QStringLiteral("cache"), QJsonObject()},
            {QStringLiteral("timings"), timings},
            {QStringLiteral("_item"), r.item},
            {QStringLiteral("_attempt"), a.attempt}};
        if (const QString error = errorOf(r, i); !error.isEmpty())
            entry[QStringLiteral("_error")] = error;
        write((m_entries++ > 0 ? QByteArray(",\n") : QByteArray("\n")) +
              QJsonDocument(entry).toJson(QJsonDocument::Compact));
    }
}

bool HarWriter::commit(QString *error) {
    const QJsonObject page{
        {QStringLiteral("startedDateTime"),
         isoDate(double(m_zeroMs >= 0 ? m_zeroMs : QDateTime::currentMSecsSinceEpoch()))},
        {QStringLiteral("id"), QStringLiteral("batch")},
        {QStringLiteral("title"), m_context.title},
        {QStringLiteral("pageTimings"), QJsonObject()}};
    write("\n],\"pages\":[" + QJsonDocument(page).toJson(QJsonDocument::Compact) + "]}}\n");
    if (m_file.error() != QFileDevice::NoError || !m_file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    return true;
}

void HarWriter::write(const QByteArray &bytes) {
    // After a failed write QSaveFile refuses the commit; the first error is the one named.
    if (m_file.error() == QFileDevice::NoError)
        m_file.write(bytes);
}

} // namespace vigil::io
