// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "exchangetiming.h"

#include "async/clock.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>
#include <optional>

namespace vigil::async {
class ByteBudget;
}

namespace vigil::net {

/// @brief Why a request failed, as a user would want it told.
enum class HttpErrorKind {
    None,
    Timeout,           ///< the total deadline (or the connect timeout) passed
    ConnectionRefused, ///< nothing listens on that port
    HostNotFound,      ///< DNS could not resolve the host
    Tls,               ///< the certificate or handshake failed verification
    HttpStatus,        ///< the server answered with a 4xx or 5xx status
    TooLarge,          ///< the body passed the size cap
    RedirectLoop,      ///< too many redirects, or one Vigil refuses (https to http, not http(s))
    BadContent,        ///< the body was not what the caller needed (JSON, a field)
    Cancelled,         ///< cancelled through the stop token
    Refused,           ///< the receiver (onHeaders or onChunk) would not take the transfer
    Network,           ///< any other transport failure
};

[[nodiscard]] QString errorKindName(HttpErrorKind kind);

using RawHeaders = QList<QPair<QByteArray, QByteArray>>;

/// @brief One HTTP request and the limits it runs under.
struct HttpRequest {
    QUrl url;
    QByteArray method = "GET";
    RawHeaders headers;
    /// Header names the user marked as secret, beyond those isSecretHeader() knows by name: none
    /// of them follows a redirect to another origin.
    QByteArrayList secretHeaders;
    QByteArray body;
    /// The total deadline: from the call until the last body byte.
    std::chrono::milliseconds timeout{30000};
    /// How long until the request has been sent on a connection.
    std::chrono::milliseconds connectTimeout{10000};
    /// Fails the transfer when no body byte arrives for this long (0: off). For long downloads,
    /// where the total deadline must be generous but a stall should not wait for it.
    std::chrono::milliseconds idleTimeout{0};
    /// The body is held in memory up to this size; beyond it the request fails as TooLarge.
    qint64 maxBodyBytes = 64 * 1024 * 1024;
    /// Redirects Vigil follows itself (the same rules on both transports, see redirects.h).
    int maxRedirects = 5;
    /// Streaming mode: when set, body bytes go here as they arrive and are not kept (no size cap);
    /// returning false aborts the transfer, which then fails as Refused.
    std::function<bool(const QByteArray &chunk)> onChunk;
    /// Called once the status and headers are in, before any body byte. Returning false aborts
    /// the transfer as Refused (the receiver cannot take it, e.g. it cannot create its file).
    std::function<bool(int status, const RawHeaders &headers)> onHeaders;
    /// Streaming mode: a bandwidth cap shared with other transfers. Bytes beyond it stay in the
    /// socket, so the sender is slowed by TCP itself.
    async::ByteBudget *bandwidth = nullptr;
    /// Streaming mode: while this returns true nothing more is read (the receiver is behind);
    /// the bytes wait in Qt's bounded buffer and the socket, which slows the sender.
    std::function<bool()> holdReads;
};

/// @brief A redirect Vigil followed on its way to a response: where it asked, the 3xx it got, and
/// where that exchange spent its time.
struct RedirectHop {
    QUrl url;
    int status = 0;
    ExchangeTiming timing;
};

/// @brief What came back: a status and body, or an error with a readable message.
struct HttpResponse {
    HttpErrorKind error = HttpErrorKind::None;
    QString errorMessage;
    int status = 0;
    QByteArray body;
    RawHeaders headers;
    qint64 bytesReceived = 0;
    async::Clock::Duration elapsed{};
    /// The server's Retry-After on a 429 or 503, if it sent one.
    std::optional<async::Clock::Duration> retryAfter;
    QUrl finalUrl;
    /// Where this exchange (the last hop's) spent its time.
    ExchangeTiming timing;
    /// The redirects followed before it, in order; usually none.
    QList<RedirectHop> redirects;

    [[nodiscard]] bool ok() const { return error == HttpErrorKind::None; }
    [[nodiscard]] QByteArray header(QByteArrayView name) const;
};

/// The value of header @p name (case-insensitive), or empty when absent.
[[nodiscard]] QByteArray headerValue(const RawHeaders &headers, QByteArrayView name);

/// True when another attempt may get a different answer: a timeout, a network failure, or a 429,
/// 500, 502, 503 or 504. Every retry loop in Vigil asks this, so fetches and downloads agree.
[[nodiscard]] bool retryable(const HttpResponse &response);

/// The port a URL of @p scheme uses when it names none: 443 for https, 80 for http, -1 otherwise.
[[nodiscard]] int defaultPort(const QString &scheme);

/// "scheme://host:port" with the scheme's default port filled in: the key for per-host rate
/// limits and pauses, and what "same origin" compares.
[[nodiscard]] QString originKey(const QUrl &url);

/// True for a valid http:// or https:// URL with a host.
[[nodiscard]] bool isHttpUrl(const QUrl &url);

} // namespace vigil::net
