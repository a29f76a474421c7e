#include "httpclient.h"

#include "http1connectionpool.h"
#include "http1reply.h"
#include "transfer.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <optional>

#include <malloc.h>

namespace vigil::net {

namespace {
// Qt 6.4 opens at most this many connections per host per manager, with no setting to raise it.
constexpr int kConnectionsPerManager = 6;

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

bool HttpClient::takesLeanPath(const HttpRequest &request) const {
    // Downloads too: one parser judges framing for every plain-http body, and only this path
    // tells a reset from a close (Qt takes an RST as the end of a body without a length, and a
    // malformed chunk size as the last chunk).
    return !m_qtNetworkOnly && request.url.scheme() == QLatin1String("http") &&
           request.url.userInfo().isEmpty();
}

QNetworkReply *HttpClient::start(const HttpRequest &request, Manager *&manager) {
    QNetworkRequest r(request.url);
    r.setHeader(QNetworkRequest::UserAgentHeader, userAgent());
    for (const auto &[key, value] : request.headers)
        r.setRawHeader(key, value);
    // Follow redirects, but never from https to http, and only so many.
    r.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                   QNetworkRequest::NoLessSafeRedirectPolicy);
    r.setMaximumRedirectsAllowed(request.maxRedirects);
    const auto viaQt = [](QNetworkAccessManager &nam, const QNetworkRequest &req,
                          const QByteArray &method, const QByteArray &body) {
        if (method == "GET" && body.isEmpty())
            return nam.get(req);
        return nam.sendCustomRequest(req, method, body);
    };
    if (takesLeanPath(request)) {
        // A redirect to https continues on a manager; it is rare enough to go uncounted.
        auto handOff = [this, viaQt](const QNetworkRequest &req, const QByteArray &method,
                                     const QByteArray &body) {
            return viaQt(*pickManager().nam, req, method, body);
        };
        return new Http1Reply(*m_http1, r, request.method, request.body, handOff, this);
    }
    manager = &pickManager();
    ++manager->active;
    return viaQt(*manager->nam, r, request.method, request.body);
}

QCoro::Task<HttpResponse> HttpClient::send(HttpRequest request, std::stop_token token) {
    const auto started = m_clock.now();
    if (auto rejected = rejectEarly(request, token))
        co_return std::move(*rejected);

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
    Transfer transfer(m_clock, request, reply, started, token);
    co_await transfer.completion();
    co_return transfer.takeResponse();
}

} // namespace vigil::net
