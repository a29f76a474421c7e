// SPDX-License-Identifier: Apache-2.0
#include "commandline.h"
#include "demoscenarios.h"
#include "mainwindow.h"
#include "metricsendpoint.h"

#include "metrics/metricsserver.h"
#include "util/logging.h"
#include "util/processstats.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QStatusBar>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
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
/// --metrics-port N [--metrics-address A] as settings for this session (whatever the settings
/// file says); nullopt when not asked for. Exits the process with 2 on a bad flag, before any
/// window exists.
std::optional<vigil::widgets::MetricsSettings> metricsFlags(const QCommandLineParser &parser,
                                                            const QCommandLineOption &port,
                                                            const QCommandLineOption &address) {
    const auto usage = [](const char *message) {
        std::fprintf(stderr, "vigil: %s\n", message);
        std::exit(2);
    };
    if (!parser.isSet(port)) {
        if (parser.isSet(address))
            usage("--metrics-address needs --metrics-port");
        return std::nullopt;
    }
    bool ok = false;
    const uint n = parser.value(port).toUInt(&ok);
    if (!ok || n > 65535)
        usage("--metrics-port must be a port number, 0 to 65535");
    if (QHostAddress(parser.value(address)).isNull())
        usage("--metrics-address must be an IP address");
    vigil::widgets::MetricsSettings settings;
    settings.enabled = true;
    settings.port = quint16(n);
    settings.address = parser.value(address);
    return settings;
}

/// Serves /metrics as @p settings say. A port it cannot take is said on stderr and in the
/// status bar, and the window stays: the dashboard matters more than its metrics.
void serveMetrics(vigil::widgets::MainWindow &window,
                  const vigil::widgets::MetricsSettings &settings) {
    QString error;
    if (!window.metrics().apply(settings, &error)) {
        std::fprintf(stderr, "vigil: /metrics is off: %s\n", qPrintable(error));
        window.statusBar()->showMessage(
            QCoreApplication::translate("main", "Prometheus metrics are off: %1").arg(error),
            60000);
        return;
    }
    const QString warning = vigil::metrics::MetricsServer::exposureWarning(
        QHostAddress(settings.address), settings.port);
    if (!warning.isEmpty())
        std::fprintf(stderr, "vigil: warning: %s\n", qPrintable(warning));
    std::fprintf(stderr, "serving metrics at %s\n", qPrintable(window.metrics().url()));
}
} // namespace

int main(int argc, char *argv[]) {
    vigil::util::raiseOpenFileLimit();
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

    const auto metrics = metricsFlags(parser, options.at(3), options.at(4));
    vigil::widgets::MainWindow window(parser.value(dashboard));
    if (metrics)
        serveMetrics(window, *metrics);
    window.show();
    if (!scenario.isEmpty())
        QTimer::singleShot(300, &window, [&window, scenario] {
            vigil::widgets::startDemoScenario(window, scenario);
        });
    return QApplication::exec();
}
