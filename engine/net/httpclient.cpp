#include "httpclient.h"

#include "async/bytebudget.h"
#include "async/deadline.h"
#include "async/notifier.h"
#include "async/retryafter.h"
#include "http1connectionpool.h"
#include "http1reply.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace vigil::net {

namespace {
// Qt 6.4 opens at most this many connections per host per manager, with no setting to raise it.
constexpr int kConnectionsPerManager = 6;

/// Parks the request coroutine until the reply's finished handler takes the handle.
struct FinishAwaiter {
    std::coroutine_handle<> *slot;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) const noexcept { *slot = h; }
    void await_resume() const noexcept {}
};

enum class AbortReason { None, Timeout, ConnectTimeout, IdleTimeout, Cancelled, TooLarge, Refused };

QString millis(std::chrono::milliseconds d) {
    return QString::number(d.count()) + QStringLiteral(" ms");
}

HttpErrorKind classifyTransport(QNetworkReply::NetworkError e, bool sawTlsError) {
    if (sawTlsError)
        return HttpErrorKind::Tls;
    switch (e) {
    case QNetworkReply::ConnectionRefusedError:
        return HttpErrorKind::ConnectionRefused;
    case QNetworkReply::HostNotFoundError:
        return HttpErrorKind::HostNotFound;
    case QNetworkReply::SslHandshakeFailedError:
        return HttpErrorKind::Tls;
    case QNetworkReply::TooManyRedirectsError:
    case QNetworkReply::InsecureRedirectError:
        return HttpErrorKind::RedirectLoop;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return HttpErrorKind::Timeout;
    default:
        return HttpErrorKind::Network;
    }
}
} // namespace

HttpClient::HttpClient(async::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_http1(new Http1ConnectionPool(this)) {}

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
    // Streamed and throttled transfers stay on Qt's network threads, off the GUI thread.
    return !m_qtNetworkOnly && request.url.scheme() == QLatin1String("http") &&
           request.url.userInfo().isEmpty() && !request.onChunk && !request.bandwidth &&
           !request.holdReads;
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
    HttpResponse response;
    const auto started = m_clock.now();
    const QString scheme = request.url.scheme();
    if (!request.url.isValid() || request.url.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        response.error = HttpErrorKind::Network;
        response.errorMessage =
            QStringLiteral("not an http(s) URL: %1").arg(request.url.toDisplayString());
        co_return response;
    }
    if (token.stop_requested()) {
        response.error = HttpErrorKind::Cancelled;
        response.errorMessage = QStringLiteral("cancelled");
        co_return response;
    }

    Manager *manager = nullptr;
    QNetworkReply *reply = start(request, manager);
    ++m_inFlight;
    if (request.bandwidth || request.holdReads)
        reply->setReadBufferSize(256 * 1024); // Qt stops reading the socket once this is full

    AbortReason aborted = AbortReason::None;
    bool finished = false;
    bool sent = false;
    QString tlsError;
    async::Notifier done;
    auto abortWith = [&aborted, &finished, reply](AbortReason why) {
        if (aborted == AbortReason::None && !finished) {
            aborted = why;
            reply->abort();
        }
    };
    async::Clock::TimerId idleTimer = 0;
    std::function<void()> rearmIdle = [&] {
        if (request.idleTimeout.count() <= 0)
            return;
        m_clock.cancel(idleTimer);
        idleTimer = m_clock.callAfter(request.idleTimeout, [&] {
            idleTimer = 0;
            // A held or capped transfer may sit in our own buffer: that is not the server stalling.
            if ((!request.bandwidth && !request.holdReads) || reply->bytesAvailable() == 0)
                abortWith(AbortReason::IdleTimeout);
            else
                rearmIdle();
        });
    };
    rearmIdle();
    // Under a bandwidth cap only what the budget grants is read; the rest waits in Qt's bounded
    // read buffer (and then in the socket), and a timer comes back for it.
    async::Clock::TimerId throttleTimer = 0;
    std::function<void()> takeBody;
    takeBody = [&] {
        if (!reply->isOpen()) // an aborted reply is closed; there is nothing left to read
            return;
        QByteArray chunk;
        if (request.holdReads && reply->bytesAvailable() > 0 && request.holdReads()) {
            if (throttleTimer == 0) {
                throttleTimer = m_clock.callAfter(std::chrono::milliseconds(2), [&] {
                    throttleTimer = 0;
                    takeBody();
                    done.notifyAll();
                });
            }
            return;
        }
        if (request.bandwidth) {
            const qint64 waiting = reply->bytesAvailable();
            const qint64 allowed = request.bandwidth->grant(waiting);
            chunk = reply->read(allowed);
            if (allowed < waiting && throttleTimer == 0) {
                throttleTimer =
                    m_clock.callAt(request.bandwidth->availableAt(waiting - allowed), [&] {
                        throttleTimer = 0;
                        takeBody();
                        done.notifyAll(); // the drain loop below may be waiting for this
                    });
            }
        } else {
            chunk = reply->readAll();
        }
        if (chunk.isEmpty() || aborted != AbortReason::None)
            return;
        response.bytesReceived += chunk.size();
        rearmIdle();
        if (request.onChunk) {
            if (!request.onChunk(chunk))
                abortWith(AbortReason::Refused);
        } else if (response.body.size() + chunk.size() > request.maxBodyBytes) {
            abortWith(AbortReason::TooLarge);
        } else {
            response.body += chunk;
        }
    };
    auto onMetaData = [&] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (!request.onChunk && length.isValid() && length.toLongLong() > request.maxBodyBytes)
            return abortWith(AbortReason::TooLarge);
        if (request.onHeaders &&
            !request.onHeaders(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                               reply->rawHeaderPairs()))
            abortWith(AbortReason::Refused);
    };
    // A reply that finishes by itself resumes this coroutine at once, inside its finished signal,
    // as QCoro's own reply awaiter does: the batch's next request then leaves in the same loop
    // pass. A reply we aborted resumes on the next pass, because the abort runs inside our own
    // timer, cancel or body callbacks.
    std::coroutine_handle<> waiter;
    auto onFinished = [&] {
        finished = true;
        if (auto h = std::exchange(waiter, {})) {
            if (aborted == AbortReason::None)
                h.resume();
            else
                async::detail::resumeSoon(h);
            return;
        }
        done.notifyAll();
    };
    auto onSent = [&sent] { sent = true; };
    auto onTlsErrors = [&tlsError](const QList<QSslError> &errors) {
        // Never ignored: TLS is always verified. Keep the first reason for the message.
        if (tlsError.isEmpty() && !errors.isEmpty())
            tlsError = errors.first().errorString();
    };
    QObject::connect(reply, &QNetworkReply::readyRead, reply, takeBody);
    QObject::connect(reply, &QNetworkReply::metaDataChanged, reply, onMetaData);
    QObject::connect(reply, &QNetworkReply::finished, reply, onFinished);
    QObject::connect(reply, &QNetworkReply::requestSent, reply, onSent);
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, onTlsErrors);

    auto onDeadline = [&abortWith] { abortWith(AbortReason::Timeout); };
    auto onConnectDeadline = [&abortWith, &sent] {
        if (!sent)
            abortWith(AbortReason::ConnectTimeout);
    };
    async::detail::ScopedTimer deadline(m_clock,
                                        m_clock.callAt(started + request.timeout, onDeadline));
    async::detail::ScopedTimer connectDeadline(
        m_clock, m_clock.callAt(started + request.connectTimeout, onConnectDeadline));
    auto onCancel = [&abortWith] { abortWith(AbortReason::Cancelled); };
    std::stop_callback cancelHook(token, onCancel);

    // Finished means the network part is over; under a cap, part of the body may still wait in
    // the reply's buffer for the budget.
    const auto drained = [&] {
        return (!request.bandwidth && !request.holdReads) || aborted != AbortReason::None ||
               !reply->isOpen() || reply->bytesAvailable() == 0;
    };
    while (!finished || !drained()) {
        if (finished && throttleTimer == 0)
            takeBody();
        if (finished && drained())
            break;
        if (!request.bandwidth && !request.holdReads) {
            // Un-throttled, only the finish can end the wait.
            co_await FinishAwaiter{&waiter};
            continue;
        }
        co_await done.wait();
    }
    if (!request.bandwidth && !request.holdReads)
        takeBody(); // un-throttled: whatever arrived with the finish
    // Nothing armed by the lambdas above may outlive this frame.
    m_clock.cancel(throttleTimer);
    m_clock.cancel(idleTimer);
    // The lambdas above point into this frame: cut them off before the reply outlives it.
    QObject::disconnect(reply, nullptr, nullptr, nullptr);

    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.headers = reply->rawHeaderPairs();
    response.finalUrl = reply->url();
    response.elapsed = m_clock.now() - started;
    switch (aborted) {
    case AbortReason::Timeout:
        response.error = HttpErrorKind::Timeout;
        response.errorMessage =
            QStringLiteral("no complete response within %1").arg(millis(request.timeout));
        break;
    case AbortReason::IdleTimeout:
        response.error = HttpErrorKind::Timeout;
        response.errorMessage = QStringLiteral("no data for %1").arg(millis(request.idleTimeout));
        break;
    case AbortReason::ConnectTimeout:
        response.error = HttpErrorKind::Timeout;
        response.errorMessage =
            QStringLiteral("could not connect within %1").arg(millis(request.connectTimeout));
        break;
    case AbortReason::Cancelled:
        response.error = HttpErrorKind::Cancelled;
        response.errorMessage = QStringLiteral("cancelled");
        break;
    case AbortReason::TooLarge:
        response.error = HttpErrorKind::TooLarge;
        response.errorMessage =
            QStringLiteral("body larger than the %1-byte limit").arg(request.maxBodyBytes);
        break;
    case AbortReason::Refused:
        response.error = HttpErrorKind::Cancelled;
        response.errorMessage = QStringLiteral("stopped by the receiver");
        break;
    case AbortReason::None:
        if (response.status >= 400) {
            response.error = HttpErrorKind::HttpStatus;
            const QString reason =
                reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
            response.errorMessage =
                QStringLiteral("HTTP %1 %2").arg(response.status).arg(reason).trimmed();
            if (response.status == 429 || response.status == 503)
                response.retryAfter =
                    async::parseRetryAfter(response.header("Retry-After"), m_clock.wallNow());
        } else if (reply->error() != QNetworkReply::NoError || !tlsError.isEmpty()) {
            response.error = classifyTransport(reply->error(), !tlsError.isEmpty());
            switch (response.error) {
            case HttpErrorKind::ConnectionRefused:
                response.errorMessage = QStringLiteral("connection refused by %1:%2")
                                            .arg(request.url.host())
                                            .arg(request.url.port(defaultPort(scheme)));
                break;
            case HttpErrorKind::HostNotFound:
                response.errorMessage =
                    QStringLiteral("host not found: %1").arg(request.url.host());
                break;
            case HttpErrorKind::RedirectLoop:
                response.errorMessage =
                    QStringLiteral("too many redirects (more than %1)").arg(request.maxRedirects);
                break;
            case HttpErrorKind::Tls:
                response.errorMessage =
                    QStringLiteral("TLS verification failed: %1")
                        .arg(tlsError.isEmpty() ? reply->errorString() : tlsError);
                break;
            default:
                response.errorMessage = reply->errorString();
            }
        }
        break;
    }
    reply->deleteLater();
    if (manager)
        --manager->active;
    --m_inFlight;
    co_return response;
}

} // namespace vigil::net
