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

QByteArray HttpResponse::header(QByteArrayView name) const {
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

} // namespace vigil::net
