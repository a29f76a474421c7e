#pragma once

#include <QByteArrayView>
#include <QString>

namespace vigil::net {

/// Why a request header given by a user or a dashboard file cannot be sent, or empty when it can.
/// A CR or LF in a value would end the header and start another one the user never saw (header
/// injection), so they are refused, as are NUL and a name that is not an RFC 9110 token.
[[nodiscard]] QString headerProblem(QByteArrayView name, QByteArrayView value);

} // namespace vigil::net
