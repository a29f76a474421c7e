// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dashboardconfig.h"

#include <QStringList>
#include <QUrl>

namespace vigil::dashboard {

/// True when @p text holds at least one ${NAME} reference to an environment variable.
[[nodiscard]] bool hasEnvReference(QStringView text);

/// @p text with each ${NAME} replaced by that environment variable's value; the names that are
/// not set go to @p missing (and expand to nothing).
[[nodiscard]] QString expandEnvReferences(const QString &text, QStringList *missing);

/// @p url as it may be written to disk or shown: no password in the user-info, and no query
/// parameter whose name looks like a credential. What was left out is named in @p dropped.
[[nodiscard]] QUrl persistableUrl(const QUrl &url, QStringList *dropped = nullptr);

/// @p sensor as it may be written to disk: a secret header (net::isSecretHeader(), or one named
/// in its secret_headers) is kept only when its value takes the secret from ${ENV}; a literal
/// secret is left out, and so are the URL's password and key-like query parameters. Each thing
/// left out is named in @p dropped, e.g. "the Authorization header of sensor Flow".
[[nodiscard]] SensorConfig persistableSensor(const SensorConfig &sensor, QStringList *dropped);

/// The headers @p sensor sends: its headers with ${ENV} expanded, then one header per
/// headers_env entry from that variable. A variable that is not set, or a value that is not a
/// valid header, leaves the header out and says why in @p problems.
[[nodiscard]] net::RawHeaders resolvedHeaders(const SensorConfig &sensor, QStringList *problems);

} // namespace vigil::dashboard
