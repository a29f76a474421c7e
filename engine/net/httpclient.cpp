// SPDX-License-Identifier: Apache-2.0
#include "httpclient.h"

#include "http1connectionpool.h"
#include "http1reply.h"
#include "redirects.h"
#include "transfer.h"

#include "util/logging.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <optional>

#include <malloc.h>

namespace vigil::net {

namespace {
// Qt 6.4 opens at most this many connections per host per manager, with no setting to raise it.
constexpr int kConnectionsPerManager = 6;

// A transport failure after a redirect names where the request began, beside where it failed.
void nameTheRedirect(HttpResponse &response, const QUrl &first) {
    switch (response.error) {
    case HttpErrorKind::ConnectionRefused:
    case HttpErrorKind::HostNotFound:
    case HttpErrorKind::Tls:
    case HttpErrorKind::Network:
        response.errorMessage += QStringLiteral(" (redirected from %1)").arg(originKey(first));
        break;
    default:
        break;
    }
}

// A request that cannot start fails here, before any reply or counter exists.
std::optional<HttpResponse> rejectEarly(const HttpRequest &request, const std::stop_token &token) {
    const QString scheme = request.url.scheme();
    HttpResponse response;
    if (!request.url.isValid() || request.url.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        response.error = HttpErrorKind::Network;
        response.errorMessage =
            QStringLiteral("not an http(s) URL: %1").arg(request.url.toDisplayString());
        return response;
    }
    if (token.stop_requested()) {
        response.error = HttpErrorKind::Cancelled;
        response.errorMessage = QStringLiteral("cancelled");
        return response;
    }
    return std::nullopt;
}
} // namespace

HttpClient::HttpClient(async::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_http1(new Http1ConnectionPool(this)) {
    // Downloads pass 64-256 KiB blocks through this thread's heap (Qt's own backend did it on a
    // network thread's arena). glibc would give each freed block back and fault it in again:
    // 4,000 brk calls per GiB, 40 % of the download throughput. Keep blocks up to 1 MiB on the
    // heap and up to 32 MiB of free heap mapped.
    static const bool tuned =
        mallopt(M_MMAP_THRESHOLD, 1 << 20) && mallopt(M_TRIM_THRESHOLD, 32 << 20);
    Q_UNUSED(tuned);
}

HttpClient::~HttpClient() {
    Q_ASSERT_X(m_inFlight == 0, "HttpClient", "destroyed with requests in flight");
}

QByteArray HttpClient::userAgent() {
    return QByteArrayLiteral("Vigil/" VIGIL_VERSION);
}

HttpClient::Manager &HttpClient::pickManager() {
    Manager *best = nullptr;
    for (auto &m : m_managers) {
        if (!best || m->active < best->active)
            best = m.get();
    }
    const bool canGrow = m_maxManagers == 0 || int(m_managers.size()) < m_maxManagers;
    if ((!best || best->active >= kConnectionsPerManager) && canGrow) {
        auto m = std::make_unique<Manager>();
        m->nam = std::make_unique<QNetworkAccessManager>();
        m->nam->setAutoDeleteReplies(false);
        best = m.get();
        m_managers.push_back(std::move(m));
    }
    return *best;
}

QNetworkReply *HttpClient::start(const HttpRequest &request, Manager *&manager) {
    QNetworkRequest r(request.url);
    r.setHeader(QNetworkRequest::UserAgentHeader, userAgent());
    // A body kept in memory may come compressed: Transfer decodes it under the cap. A streamed one
    // (a download) must be the server's bytes, so Range and sizes mean what they say. Naming
    // Accept-Encoding is also what keeps Qt from decoding by itself, ahead of any cap.
    if (headerValue(request.headers, "Accept-Encoding").isEmpty())
        r.setRawHeader("Accept-Encoding", request.onChunk ? "identity" : "gzip, deflate");
    for (const auto &[key, value] : request.headers)
        r.setRawHeader(key, value);
    if (m_tls)
        r.setSslConfiguration(*m_tls);
    // Each 3xx comes back to send(), which decides (redirects.h): Qt would forward credentials.
    r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // Every request takes Vigil's parser, downloads and https too: only it tells a reset from a
    // close (Qt takes an RST as the end of a body without a length, and a malformed chunk size
    // as the last chunk), and it judges framing alike for every body.
    if (!m_qtNetworkOnly) {
        // The URL's user-info goes up front as Basic credentials, as curl sends it, and only to
        // this origin: a redirect elsewhere strips it (redirects.h).
        if (!request.url.userInfo().isEmpty() && !r.hasRawHeader("Authorization")) {
            const QString pair = request.url.userName(QUrl::FullyDecoded) + u':' +
                                 request.url.password(QUrl::FullyDecoded);
            r.setRawHeader("Authorization", "Basic " + pair.toUtf8().toBase64());
        }
        return new Http1Reply(*m_http1, r, request.method, request.body, this);
    }
    manager = &pickManager();
    ++manager->active;
    if (request.method == "GET" && request.body.isEmpty())
        return manager->nam->get(r);
    return manager->nam->sendCustomRequest(r, request.method, request.body);
}

QCoro::Task<HttpResponse> HttpClient::send(HttpRequest request, std::stop_token token) {
    const auto started = m_clock.now();
    if (auto rejected = rejectEarly(request, token))
        co_return std::move(*rejected);
    const QUrl first = request.url;
    QList<RedirectHop> hops;
    for (int followed = 0;; ++followed) {
        HttpResponse response = co_await sendHop(request, started, token);
        if (!response.ok() || !isRedirect(response.status, response.headers)) {
            if (followed > 0)
                nameTheRedirect(response, first);
            response.redirects = std::move(hops);
            co_return response;
        }
        RedirectStep step =
            nextHop(request, response.status, response.header("Location"), followed);
        if (!step.refusal.isEmpty()) {
            response.error = HttpErrorKind::RedirectLoop;
            response.errorMessage = step.refusal;
            response.body.clear();
            response.redirects = std::move(hops);
            qCDebug(lcNet).noquote()
                << originKey(request.url) << "redirect" << response.status << "refused";
            co_return response;
        }
        hops.append(RedirectHop{request.url, response.status, response.timing});
        qCDebug(lcNet).noquote() << originKey(request.url) << "redirects" << response.status << "to"
                                 << originKey(step.next.url)
                                 << (step.crossOrigin ? "(credentials dropped)" : "");
        request = std::move(step.next);
    }
}

QCoro::Task<HttpResponse> HttpClient::sendHop(const HttpRequest &hop,
                                              async::Clock::TimePoint started,
                                              const std::stop_token &token) {
    // The receiver is shown the final answer only: a redirect's status and body stay here.
    bool redirecting = false;
    std::optional<HttpRequest> screened;
    if (hop.onHeaders || hop.onChunk) {
        screened.emplace(hop);
        screened->onHeaders = [&hop, &redirecting](int status, const RawHeaders &headers) {
            redirecting = isRedirect(status, headers);
            return redirecting || !hop.onHeaders || hop.onHeaders(status, headers);
        };
        if (hop.onChunk)
            screened->onChunk = [&hop, &redirecting](const QByteArray &chunk) {
                return redirecting || hop.onChunk(chunk);
            };
    }
    const HttpRequest &request = screened ? *screened : hop;
    Manager *manager = nullptr;
    QNetworkReply *reply = start(request, manager);
    // Counted until this frame ends, however it ends.
    struct InFlightSlot {
        int &inFlight;
        Manager *manager;
        ~InFlightSlot() {
            --inFlight;
            if (manager)
                --manager->active;
        }
    };
    ++m_inFlight;
    const InFlightSlot slot{m_inFlight, manager};
    // One total deadline for every hop: each starts its own clock for connecting only.
    Transfer transfer(m_clock, request, reply, started, token);
    transfer.holdBodyIn(m_bodyMemory);
    co_await transfer.completion();
    co_return transfer.takeResponse();
}

} // namespace vigil::net
