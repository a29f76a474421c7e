// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "async/clock.h"
#include "asynctest.h"
#include "net/httpclient.h"

#include <QProcess>
#include <QStandardPaths>

namespace vigil::test {

/// What `promtool check metrics` says of @p body: empty when it accepts it, its complaint (or
/// why it could not run) otherwise.
inline QString promtoolProblems(const QByteArray &body) {
    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    if (promtool.isEmpty())
        return QStringLiteral("promtool is not installed");
    QProcess p;
    p.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
    if (!p.waitForStarted(10000))
        return QStringLiteral("promtool did not start");
    p.write(body);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000))
        return QStringLiteral("promtool did not finish");
    const QString said =
        QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError()).trimmed();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return QStringLiteral("promtool exit %1: %2").arg(p.exitCode()).arg(said);
    return said;
}

/// GETs @p url with Vigil's own client, driving the event loop (a server in this process keeps
/// answering).
inline net::HttpResponse httpGet(const QUrl &url) {
    net::HttpClient client;
    net::HttpRequest request;
    request.url = url;
    auto outcome = drive(client.send(request));
    return outcome.value();
}

} // namespace vigil::test
