// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArrayList>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

namespace vigil::net {

/// Why a request header given by a user or a dashboard file cannot be sent, or empty when it can.
/// A CR or LF in a value would end the header and start another one the user never saw (header
/// injection), so they are refused, as are NUL and a name that is not an RFC 9110 token.
[[nodiscard]] QString headerProblem(QByteArrayView name, QByteArrayView value);

/// True when header @p name carries a credential: Cookie, any name containing "auth" (so
/// Authorization and Proxy-Authorization), "key", "token", "secret", "passw", "signature" or
/// "credential" (X-Api-Key, X-Auth-Token...), or a name in
/// @p markedSecret (the user's own list). Case-insensitive. Such headers are never written to
/// disk or logs, and never follow a redirect to another origin.
[[nodiscard]] bool isSecretHeader(QByteArrayView name, const QByteArrayList &markedSecret = {});

/// True when a URL query parameter named @p name carries a credential (api_key, token, secret,
/// password, auth, sig...). Case-insensitive. Such values are never written to disk or logs.
[[nodiscard]] bool isSecretQueryName(QStringView name);

} // namespace vigil::net
