// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

/// One logging category per component. Debug and info messages are off by default; switch them
/// on with `QT_LOGGING_RULES='vigil.*.debug=true'` (or one category, `vigil.net.debug=true`) or
/// with `--verbose`. Messages name hosts and reasons, never header values, URL passwords or
/// query strings: log `net::redactedUrl(url)` or `url.host()`, not the URL.
Q_DECLARE_LOGGING_CATEGORY(lcAsync)     // vigil.async: scopes, background task failures
Q_DECLARE_LOGGING_CATEGORY(lcNet)       // vigil.net: connections, redirects, timeouts
Q_DECLARE_LOGGING_CATEGORY(lcFetch)     // vigil.fetch: retries, host pauses, journal
Q_DECLARE_LOGGING_CATEGORY(lcDownload)  // vigil.download: resume decisions, verification
Q_DECLARE_LOGGING_CATEGORY(lcSensors)   // vigil.sensors: read timeouts and failures, skips
Q_DECLARE_LOGGING_CATEGORY(lcDashboard) // vigil.dashboard: applying dashboards, recording
Q_DECLARE_LOGGING_CATEGORY(lcDemo)      // vigil.demo: the demo server's requests and faults
Q_DECLARE_LOGGING_CATEGORY(lcMqtt)      // vigil.mqtt: broker connections, reconnects, bad data
Q_DECLARE_LOGGING_CATEGORY(lcModbus)    // vigil.modbus: device connections, exceptions, batches
Q_DECLARE_LOGGING_CATEGORY(lcLines)     // vigil.lines: serial, TCP and UDP line sources
Q_DECLARE_LOGGING_CATEGORY(lcMetrics)   // vigil.metrics: the /metrics server, Prometheus queries

namespace vigil::util {

/// `--verbose`: every vigil.* category logs debug messages, each line with its time and
/// category. QT_LOGGING_RULES still wins, so one category can be silenced again.
void enableVerboseLogging();

/// Removes `--verbose` (and `-v`) from @p args wherever it stands; true if it was there.
[[nodiscard]] bool takeVerboseFlag(QStringList &args);

} // namespace vigil::util
