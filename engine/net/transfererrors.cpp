// SPDX-License-Identifier: Apache-2.0
// What a failed transfer tells its caller: Transfer's error descriptions, in words a user reads.
#include "transfer.h"

#include "bodydecoder.h"
#include "bodymemory.h"

#include <QNetworkReply>

namespace vigil::net {

namespace {
QString millis(std::chrono::milliseconds d) {
    return QString::number(d.count()) + QStringLiteral(" ms");
}

QString sizeText(qint64 bytes) {
    constexpr qint64 kMiB = 1024 * 1024;
    if (bytes > 0 && bytes % kMiB == 0)
        return QString::number(bytes / kMiB) + QStringLiteral(" MiB");
    return QString::number(bytes) + QStringLiteral(" bytes");
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

void Transfer::describeAbort(HttpResponse &response) const {
    switch (m_aborted) {
    case Abort::Timeout:
        response.error = HttpErrorKind::Timeout;
        response.errorMessage =
            QStringLiteral("no complete response within %1").arg(millis(m_request.timeout));
        break;
    case Abort::IdleTimeout:
        response.error = HttpErrorKind::Timeout;
        response.errorMessage = QStringLiteral("no data for %1").arg(millis(m_request.idleTimeout));
        break;
    case Abort::ConnectTimeout:
        response.error = HttpErrorKind::Timeout;
        response.errorMessage =
            QStringLiteral("could not connect within %1").arg(millis(m_request.connectTimeout));
        break;
    case Abort::Cancelled:
        response.error = HttpErrorKind::Cancelled;
        response.errorMessage = QStringLiteral("cancelled");
        break;
    case Abort::TooLarge:
        response.error = HttpErrorKind::TooLarge;
        response.errorMessage =
            m_decoder
                ? QStringLiteral("the decompressed body passed the %1 cap")
                      .arg(sizeText(m_request.maxBodyBytes))
                : QStringLiteral("body larger than the %1-byte limit").arg(m_request.maxBodyBytes);
        break;
    case Abort::HeadersDropped:
        response.error = HttpErrorKind::TooLarge;
        response.errorMessage = QStringLiteral(
            "the response headers passed Qt's limits (100 fields, about 100 KiB a field)");
        break;
    case Abort::BadEncoding:
        response.error = HttpErrorKind::BadContent;
        response.errorMessage =
            QStringLiteral("the %1-encoded body could not be decompressed: %2")
                .arg(QString::fromLatin1(m_decoder->coding()), m_decoder->error());
        break;
    case Abort::OverBudget:
        response.error = HttpErrorKind::TooLarge;
        response.errorMessage =
            QStringLiteral("the in-memory budget of %1 for all requests is used up")
                .arg(sizeText(m_memory->budget()));
        break;
    case Abort::Refused:
        response.error = HttpErrorKind::Refused;
        response.errorMessage = QStringLiteral("stopped by the receiver");
        break;
    case Abort::None:
        break;
    }
}

void Transfer::describeFailure(HttpResponse &response) const {
    const QUrl &url = m_request.url;
    response.error = classifyTransport(m_reply->error(), !m_tlsError.isEmpty());
    switch (response.error) {
    case HttpErrorKind::ConnectionRefused:
        response.errorMessage = QStringLiteral("connection refused by %1:%2")
                                    .arg(url.host())
                                    .arg(url.port(defaultPort(url.scheme())));
        break;
    case HttpErrorKind::HostNotFound:
        response.errorMessage = QStringLiteral("host not found: %1").arg(url.host());
        break;
    case HttpErrorKind::RedirectLoop:
        response.errorMessage =
            QStringLiteral("too many redirects (more than %1)").arg(m_request.maxRedirects);
        break;
    case HttpErrorKind::Tls:
        response.errorMessage =
            QStringLiteral("TLS verification failed: %1")
                .arg(m_tlsError.isEmpty() ? m_reply->errorString() : m_tlsError);
        break;
    default:
        response.errorMessage = m_reply->errorString();
    }
}

} // namespace vigil::net
