// SPDX-License-Identifier: Apache-2.0
// `vigil record`: a dashboard's sources, recorded to CSV with no display.
#include "climetrics.h"
#include "clisupport.h"

#include "async/sleep.h"
#include "dashboard/dashboardconfig.h"
#include "dashboard/monitoringsession.h"
#include "io/recorder.h"
#include "metrics/vigilmetrics.h"
#include "sensors/sensorhub.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>

namespace vigil::cli {

namespace {
struct RecordRequest {
    dashboard::DashboardConfig dashboard;
    QString out;
    std::optional<double> durationS;
    bool quiet = false;
    CliMetrics *metrics = nullptr; ///< runRecord's, which outlives the recording
};

std::optional<int> parseRecord(const QStringList &args, RecordRequest &r) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Run a dashboard's sources (simulated, system, HTTP JSON, MQTT, Prometheus, Modbus) with "
        "no display and "
        "record every reading as CSV (time,sensor_id,sensor,unit,value,error), flushed at least "
        "every 0.5 s. Ends on --duration or Ctrl+C with one summary line on stdout. Exit code 0: "
        "recorded; 1: the recording failed (e.g. a full disk); 2: usage error."));
    parser.addHelpOption();
    const QCommandLineOption dashboardOption(QStringLiteral("dashboard"),
                                             QStringLiteral("The dashboard file to run."),
                                             QStringLiteral("FILE"));
    const QCommandLineOption outOption(
        QStringLiteral("out"),
        QStringLiteral("The CSV file, appended to (default: vigil-record-TIME.csv here)."),
        QStringLiteral("FILE.csv"));
    const QCommandLineOption durationOption(
        QStringLiteral("duration"), QStringLiteral("Stop after S seconds (default: at Ctrl+C)."),
        QStringLiteral("S"));
    const QCommandLineOption quietOption(QStringLiteral("quiet"),
                                         QStringLiteral("Print only the summary line."));
    parser.addOptions({dashboardOption, outOption, durationOption, quietOption});
    r.metrics->addTo(parser);
    if (const auto code = parseOrExit(parser, args, "record"))
        return code;
    if (!parser.isSet(dashboardOption))
        return usageError("record", QStringLiteral("--dashboard FILE is required"));
    if (parser.isSet(durationOption)) {
        bool ok = false;
        const double s = parser.value(durationOption).toDouble(&ok);
        if (!ok || !(s > 0) || s > 365 * 86400.0)
            return usageError("record", QStringLiteral("--duration must be a number of seconds "
                                                       "above 0"));
        r.durationS = s;
    }
    QFile file(parser.value(dashboardOption));
    if (!file.open(QIODevice::ReadOnly))
        return usageError(
            "record",
            QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()));
    dashboard::ConfigError error;
    QList<dashboard::ConfigError> warnings;
    const auto config =
        dashboard::parseDashboard(file.read(dashboard::kMaxDashboardBytes + 1), &error, &warnings);
    if (!config)
        return usageError("record", file.fileName() + QStringLiteral(": ") + error.text());
    r.dashboard = *config;
    r.quiet = parser.isSet(quietOption);
    for (const auto &w : warnings) {
        if (!r.quiet)
            err() << "vigil record: " << file.fileName() << ": " << w.text() << Qt::endl;
    }
    r.out =
        parser.isSet(outOption)
            ? parser.value(outOption)
            : QStringLiteral("vigil-record-%1.csv")
                  .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    return r.metrics->start(parser, "record");
}

QCoro::Task<int> record(RecordRequest r) {
    auto &clock = async::Clock::system();
    dashboard::MonitoringSession session(clock);
    if (r.metrics->isServing())
        metrics::addSensorMetrics(r.metrics->registry(), session.hub());
    if (!r.quiet)
        QObject::connect(&session, &dashboard::MonitoringSession::logMessage, &session,
                         [](const QString &line) { err() << line << Qt::endl; });
    qint64 staleEvents = 0;
    QObject::connect(&session.hub(), &sensors::SensorHub::staleChanged, &session,
                     [&staleEvents](const QString &, bool stale) { staleEvents += stale ? 1 : 0; });
    QString failure;
    QObject::connect(&session.recorder(), &io::Recorder::failed, &session,
                     [&failure](const QString &why) { failure = why; });
    // A copy for the Ctrl+C handler, which outlives this frame (its timer is the app's).
    std::stop_source stop;
    onInterrupt([stop]() mutable { stop.request_stop(); });
    QElapsedTimer wall;
    wall.start();
    auto applying = session.apply(r.dashboard);
    co_await applying;
    QString why;
    if (!session.recorder().start(r.out, &why)) {
        auto shutting = session.shutdown();
        co_await shutting;
        err() << "vigil record: " << why << Qt::endl;
        co_return kExitFailed;
    }
    if (!r.quiet)
        err() << "Recording " << session.layout().sensors.size() << " sources to " << r.out
              << (r.durationS ? QStringLiteral(" for %1 s").arg(*r.durationS)
                              : QStringLiteral("; Ctrl+C stops"))
              << Qt::endl;
    const auto duration = r.durationS ? std::chrono::duration<double>(*r.durationS)
                                      : std::chrono::duration<double>(365 * 86400.0);
    try {
        co_await async::sleepFor(
            clock, std::chrono::duration_cast<async::Clock::Duration>(duration), stop.get_token());
    } catch (const async::Cancelled &) {
        // Ctrl+C: the normal end of an open-ended recording
    }
    const qint64 readings = session.recorder().recordedCount();
    qint64 timeouts = 0, errors = 0;
    const QStringList ids = session.hub().ids();
    for (const auto &id : ids) {
        timeouts += session.hub().stats(id).timeouts;
        errors += session.hub().stats(id).errors;
    }
    auto shutting = session.shutdown(); // the recorder's last flush, every source closed
    co_await shutting;
    out() << "recorded sensors=" << ids.size() << " readings=" << readings
          << " timeouts=" << timeouts << " errors=" << errors << " stale=" << staleEvents
          << " wall_s=" << QString::number(double(wall.elapsed()) / 1000, 'f', 1) << Qt::endl;
    if (!failure.isEmpty()) {
        err() << "vigil record: " << failure << Qt::endl;
        co_return kExitFailed;
    }
    co_return kExitOk;
}
} // namespace

int runRecord(const QStringList &args) {
    CliMetrics metrics(false); // live metrics: nothing final to linger for
    RecordRequest request;
    request.metrics = &metrics;
    if (const auto code = parseRecord(args, request))
        return *code;
    acceptInterruptAsEnd();
    return runOnLoop(record(std::move(request)));
}

} // namespace vigil::cli
