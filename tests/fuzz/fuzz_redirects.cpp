// SPDX-License-Identifier: Apache-2.0
// First line: the URL a request went to; the rest: the Location a server answered with. Checks the
// rules that keep credentials home, whatever the server says.
#include "fuzzinput.h"

#include "net/headercheck.h"
#include "net/redirects.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const auto [from, location] = vigil::fuzz::twoParts(data, size);
    vigil::net::HttpRequest request;
    request.url = QUrl(from);
    if (!vigil::net::isHttpUrl(request.url))
        return 0;
    request.method = size % 2 ? "POST" : "GET";
    request.body = "body";
    request.headers = {{"Authorization", "a"}, {"X-Api-Key", "k"}, {"X-Marked", "m"}};
    request.secretHeaders = {"x-marked"};
    const int status = 301 + int(size % 8);
    const auto step = vigil::net::nextHop(request, status, location.toUtf8(), int(size % 7));
    if (!step.refusal.isEmpty()) {
        for (const QChar c : step.refusal) {
            if (c.unicode() < 0x20)
                __builtin_trap(); // server text reached a message raw
        }
        return 0;
    }
    const QUrl &next = step.next.url;
    if (!vigil::net::isHttpUrl(next))
        __builtin_trap();
    if (request.url.scheme() == QLatin1String("https") && next.scheme() == QLatin1String("http"))
        __builtin_trap();
    if (vigil::net::originKey(next) != vigil::net::originKey(request.url)) {
        if (!step.crossOrigin || !next.userInfo().isEmpty())
            __builtin_trap();
        for (const auto &header : step.next.headers) {
            if (vigil::net::isSecretHeader(header.first, request.secretHeaders))
                __builtin_trap(); // a credential left for another origin
        }
    }
    return 0;
}
