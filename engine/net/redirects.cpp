// SPDX-License-Identifier: Apache-2.0
#include "redirects.h"

#include "headercheck.h"

#include "util/printable.h"

namespace vigil::net {

namespace {
// A Location is the server's text, and may echo the user's: shown bounded, without user-info,
// query (API keys travel there) or control characters.
QString shown(const QUrl &url) {
    return util::printable(
               url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment))
        .left(300);
}

QString shownRaw(QByteArrayView location) {
    const qsizetype query = location.indexOf('?');
    const QByteArrayView kept = location.first(query < 0 ? location.size() : query);
    return util::printable(QString::fromLatin1(kept.first(std::min<qsizetype>(kept.size(), 300))));
}

bool becomesGet(int status, const QByteArray &method) {
    if (method == "HEAD")
        return false;
    // RFC 9110 §15.4: 303 always; 301 and 302 after a POST, as every browser and Qt do.
    return status == 303 || ((status == 301 || status == 302) && method == "POST");
}
} // namespace

bool isRedirect(int status, const RawHeaders &headers) {
    const bool redirectStatus =
        status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    return redirectStatus && !headerValue(headers, "Location").trimmed().isEmpty();
}

RedirectStep nextHop(const HttpRequest &current, int status, QByteArrayView location,
                     int followed) {
    RedirectStep step;
    if (followed >= current.maxRedirects) {
        step.refusal =
            QStringLiteral("too many redirects (more than %1)").arg(current.maxRedirects);
        return step;
    }
    const QUrl target = current.url.resolved(QUrl::fromEncoded(location.toByteArray().trimmed()));
    if (!target.isValid()) {
        step.refusal =
            QStringLiteral("refused a redirect to an invalid URL: %1").arg(shownRaw(location));
        return step;
    }
    const QString scheme = target.scheme();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https")) {
        step.refusal = QStringLiteral("refused a redirect to %1 (only http and https are followed)")
                           .arg(shown(target));
        return step;
    }
    if (target.host().isEmpty()) {
        step.refusal =
            QStringLiteral("refused a redirect to a URL without a host: %1").arg(shown(target));
        return step;
    }
    if (current.url.scheme() == QLatin1String("https") && scheme == QLatin1String("http")) {
        step.refusal = QStringLiteral("refused a redirect from https to http (%1 is not encrypted)")
                           .arg(originKey(target));
        return step;
    }
    step.next = current;
    step.next.url = target;
    if (becomesGet(status, current.method)) {
        step.next.method = "GET";
        step.next.body.clear();
        step.next.headers.removeIf([](const auto &h) {
            return h.first.compare("Content-Type", Qt::CaseInsensitive) == 0;
        });
    }
    step.crossOrigin = originKey(current.url) != originKey(target);
    if (step.crossOrigin) {
        // Credentials are for the origin they were given to, not for wherever it redirects.
        step.next.url.setUserInfo({});
        step.next.headers.removeIf(
            [&current](const auto &h) { return isSecretHeader(h.first, current.secretHeaders); });
    }
    return step;
}

} // namespace vigil::net
