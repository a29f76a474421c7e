// SPDX-License-Identifier: Apache-2.0
#include "commandline.h"
#include "demoscenarios.h"
#include "mainwindow.h"
#include "metricsendpoint.h"

#include "metrics/metricsserver.h"
#include "util/logging.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>
#include <optional>

namespace {
/// The dashboard's options: parsed here, and listed by `vigil --help` before any QApplication.
QList<QCommandLineOption> guiOptions() {
    return {
        {QStringLiteral("dashboard"), QStringLiteral("Open this dashboard file (JSON)."),
         QStringLiteral("FILE")},
        {QStringLiteral("demo"),
         QStringLiteral("Start a presenter scenario: %1.")
             .arg(vigil::widgets::demoScenarioNames().join(QStringLiteral(", "))),
         QStringLiteral("NAME")},
        {{QStringLiteral("verbose"), QStringLiteral("v")},
         QStringLiteral("Log retries, host pauses, redirects and timeouts to stderr.")},
        {QStringLiteral("metrics-port"),
         QStringLiteral("Serve Prometheus metrics at http://127.0.0.1:N/metrics (this session; "
                        "File > Prometheus metrics keeps a setting)."),
         QStringLiteral("N")},
        {QStringLiteral("metrics-address"),
         QStringLiteral("Address for --metrics-port (default 127.0.0.1; any other is reachable "
                        "from other machines, and warned about)."),
         QStringLiteral("ADDR"), QStringLiteral("127.0.0.1")},
    };
}
/// --metrics-port N [--metrics-address A]: serves /metrics for this session, whatever the
/// settings say. Returns an exit code when the flags are wrong or the port is taken.
std::optional<int> serveMetricsIfAsked(vigil::widgets::MainWindow &window,
                                       const QCommandLineParser &parser,
                                       const QCommandLineOption &port,
                                       const QCommandLineOption &address) {
    if (!parser.isSet(port))
        return std::nullopt;
    bool ok = false;
    const uint n = parser.value(port).toUInt(&ok);
    if (!ok || n > 65535) {
        std::fprintf(stderr, "vigil: --metrics-port must be a port number, 0 to 65535\n");
        return 2;
    }
    vigil::widgets::MetricsSettings settings;
    settings.enabled = true;
    settings.port = quint16(n);
    settings.address = parser.value(address);
    QString error;
    if (!window.metrics().apply(settings, &error)) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(error));
        return 1;
    }
    const QString warning =
        vigil::metrics::MetricsServer::exposureWarning(QHostAddress(settings.address), quint16(n));
    if (!warning.isEmpty())
        std::fprintf(stderr, "vigil: warning: %s\n", qPrintable(warning));
    std::fprintf(stderr, "serving metrics at %s\n", qPrintable(window.metrics().url()));
    return std::nullopt;
}
} // namespace

int main(int argc, char *argv[]) {
    const QList<QCommandLineOption> options = guiOptions();
    if (const auto code = vigil::cli::runHeadlessIfRequested(argc, argv, options))
        return *code;

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Vigil"));
    QApplication::setOrganizationName(QStringLiteral("Vigil"));
    QApplication::setApplicationVersion(QStringLiteral(VIGIL_VERSION));

    QCommandLineParser parser;
    parser.addOptions(options);
    const QCommandLineOption &dashboard = options.at(0);
    const QCommandLineOption &demo = options.at(1);
    const QCommandLineOption &verbose = options.at(2);
    if (!parser.parse(QApplication::arguments())) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(verbose))
        vigil::util::enableVerboseLogging();
    const QString scenario = parser.value(demo);
    if (!scenario.isEmpty() && !vigil::widgets::demoScenarioNames().contains(scenario)) {
        std::fprintf(stderr, "vigil: unknown demo scenario '%s' (known: %s)\n",
                     qPrintable(scenario),
                     qPrintable(vigil::widgets::demoScenarioNames().join(QStringLiteral(", "))));
        return 2;
    }

    vigil::widgets::MainWindow window(parser.value(dashboard));
    if (const auto code = serveMetricsIfAsked(window, parser, options.at(3), options.at(4)))
        return *code;
    window.show();
    if (!scenario.isEmpty())
        QTimer::singleShot(300, &window, [&window, scenario] {
            vigil::widgets::startDemoScenario(window, scenario);
        });
    return QApplication::exec();
}
