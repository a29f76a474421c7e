// SPDX-License-Identifier: Apache-2.0
#include "httptypes.h"

namespace vigil::net {

QString errorKindName(HttpErrorKind kind) {
    switch (kind) {
    case HttpErrorKind::None:
        return QStringLiteral("ok");
    case HttpErrorKind::Timeout:
        return QStringLiteral("timeout");
    case HttpErrorKind::ConnectionRefused:
        return QStringLiteral("connection refused");
    case HttpErrorKind::HostNotFound:
        return QStringLiteral("host not found");
    case HttpErrorKind::Tls:
        return QStringLiteral("TLS error");
    case HttpErrorKind::HttpStatus:
        return QStringLiteral("HTTP error");
    case HttpErrorKind::TooLarge:
        return QStringLiteral("too large");
    case HttpErrorKind::RedirectLoop:
        return QStringLiteral("redirect loop");
    case HttpErrorKind::BadContent:
        return QStringLiteral("bad content");
    case HttpErrorKind::Cancelled:
        return QStringLiteral("cancelled");
    case HttpErrorKind::Refused:
        return QStringLiteral("refused by the receiver");
    case HttpErrorKind::Network:
        return QStringLiteral("network error");
    }
    return QStringLiteral("unknown");
}

QByteArray headerValue(const RawHeaders &headers, QByteArrayView name) {
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray HttpResponse::header(QByteArrayView name) const {
    return headerValue(headers, name);
}

bool retryable(const HttpResponse &response) {
    switch (response.error) {
    case HttpErrorKind::Timeout:
    case HttpErrorKind::Network:
        return true;
    case HttpErrorKind::HttpStatus:
        switch (response.status) {
        case 429:
        case 500:
        case 502:
        case 503:
        case 504:
            return true;
        default:
            return false;
        }
    default:
        return false;
    }
}

int defaultPort(const QString &scheme) {
    if (scheme == QLatin1String("https"))
        return 443;
    if (scheme == QLatin1String("http"))
        return 80;
    return -1;
}

QString originKey(const QUrl &url) {
    const QString host = url.host(QUrl::FullyEncoded);
    // An IPv6 literal keeps its brackets, so the port cannot be read as part of the address.
    const QString shownHost = host.contains(u':') ? u'[' + host + u']' : host;
    return url.scheme() + QStringLiteral("://") + shownHost + u':' +
           QString::number(url.port(defaultPort(url.scheme())));
}

bool isHttpUrl(const QUrl &url) {
    return url.isValid() && !url.host().isEmpty() &&
           (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"));
}

} // namespace vigil::net
