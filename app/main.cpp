// SPDX-License-Identifier: Apache-2.0
#include "commandline.h"
#include "demoscenarios.h"
#include "mainwindow.h"

#include "util/logging.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

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
    };
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
    window.show();
    if (!scenario.isEmpty())
        QTimer::singleShot(300, &window, [&window, scenario] {
            vigil::widgets::startDemoScenario(window, scenario);
        });
    return QApplication::exec();
}
