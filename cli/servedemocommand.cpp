// SPDX-License-Identifier: Apache-2.0
#include "clisupport.h"

#include "demo/demoserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace vigil::cli {

int runServeDemo(const QStringList &args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Serve the demo HTTP API on 127.0.0.1 until interrupted. Port 0 picks a free port; the "
        "first line printed is the URL. Exit code 0: stopped by Ctrl+C; 1: cannot listen; 2: "
        "usage error."));
    parser.addHelpOption();
    QCommandLineOption port(QStringLiteral("port"),
                            QStringLiteral("TCP port (default 0: any free)."), QStringLiteral("N"),
                            QStringLiteral("0"));
    QCommandLineOption seed(QStringLiteral("seed"),
                            QStringLiteral("Seed for the fault endpoints (default 1)."),
                            QStringLiteral("S"), QStringLiteral("1"));
    parser.addOptions({port, seed});
    if (const auto code = parseOrExit(parser, args, "serve-demo"))
        return *code;
    bool portOk = false, seedOk = false;
    const uint portValue = parser.value(port).toUInt(&portOk);
    const uint seedValue = parser.value(seed).toUInt(&seedOk);
    if (!portOk || portValue > 65535)
        return usageError("serve-demo",
                          QStringLiteral("--port must be a whole number from 0 to 65535"));
    if (!seedOk)
        return usageError("serve-demo", QStringLiteral("--seed must be a whole number"));
    demo::DemoServer server(seedValue);
    if (!server.listen(quint16(portValue))) {
        err() << "vigil serve-demo: " << server.errorString() << Qt::endl;
        return kExitFailed;
    }
    out() << server.baseUrl().toString() << Qt::endl;
    err() << "Vigil demo API on " << server.baseUrl().toString()
          << " (loopback only). Endpoints: /item/{id}?ms=&fail=  /compound/{name}  /kinetics/{id}  "
             "/sensors  /sensors/{name}  /bytes/{n}  /limited/{id}?rps=  /flaky/{id}?p=  /hang  "
             "/slowbody  /redirect-loop  /huge  /bad-json  /stats. Ctrl+C stops it."
          << Qt::endl;
    onInterrupt([] { QCoreApplication::quit(); });
    return QCoreApplication::exec();
}

} // namespace vigil::cli
