// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "clock.h"

#include <QByteArrayView>
#include <QDateTime>

#include <optional>

namespace vigil::async {

/// Parses an HTTP date in any of the three forms RFC 9110 allows (IMF-fixdate, RFC 850, asctime).
[[nodiscard]] std::optional<QDateTime> parseHttpDate(QByteArrayView text);

/// Formats @p utc as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
[[nodiscard]] QByteArray formatHttpDate(const QDateTime &utc);

/// Parses a Retry-After value: delay-seconds or an HTTP date, relative to @p nowUtc.
/// A date in the past means no delay; anything unparseable gives nullopt.
[[nodiscard]] std::optional<Clock::Duration> parseRetryAfter(QByteArrayView value,
                                                             const QDateTime &nowUtc);

} // namespace vigil::async
