// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dashboardconfig.h"

#include <QJsonObject>

namespace vigil::dashboard {

/// Names each key of dashboard file @p root that nothing reads (a typo such as "intervall"
/// would otherwise fall back to a default without a word), with its JSON path and the closest
/// known key. At most about twenty.
void collectUnknownKeys(const QJsonObject &root, QList<ConfigError> *warnings);

} // namespace vigil::dashboard
