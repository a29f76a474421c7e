// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httptypes.h"

#include <QByteArrayView>
#include <QString>

namespace vigil::net {

/// True for an answer Vigil follows: 301, 302, 303, 307 or 308 with a Location header.
[[nodiscard]] bool isRedirect(int status, const RawHeaders &headers);

/// @brief Where a redirect leads: the next hop's request, or why Vigil will not go there.
struct RedirectStep {
    HttpRequest next;         ///< meaningful only when refusal is empty
    QString refusal;          ///< a readable reason, or empty when the redirect is followed
    bool crossOrigin = false; ///< the next hop goes to another origin, without credentials
};

/// Decides the redirect that answered @p current with @p status and @p location, after
/// @p followed redirects so far. Vigil follows redirects itself, on both transports, by these
/// rules: only to http and https, never from https to http, at most current.maxRedirects; a 303
/// (or a 301 or 302 answering a POST) becomes a GET without a body; and a hop to another origin
/// (originKey()) carries no credential: no header isSecretHeader() names (with the user's
/// current.secretHeaders) and no user-info in the URL. Pure.
[[nodiscard]] RedirectStep nextHop(const HttpRequest &current, int status, QByteArrayView location,
                                   int followed);

} // namespace vigil::net
