// SPDX-License-Identifier: Apache-2.0
#include "linesbench.h"

#include "demoprocess.h"

#include "async/looplagprobe.h"
#include "async/sleep.h"
#include "lines/linessource.h"
#include "sensors/sensorhub.h"
#include "util/processstats.h"

#include <QElapsedTimer>
#include <QProcess>

#include <stdexcept>

namespace vigil::bench {

using namespace std::chrono_literals;

QString LinesBenchResult::summaryLine() const {
    const qint64 lost = sent - received;
    return QStringLiteral("bench-lines rate_hz=%1 columns=%2 sent=%3 received=%4 lost=%5 "
                          "malformed=%6 lines_per_s=%7 cpu_us_per_line=%8 loop_lag_p99_ms=%9 "
                          "met=%10")
        .arg(rateHz, 0, 'f', 0)
        .arg(columns)
        .arg(sent)
        .arg(received)
        .arg(lost)
        .arg(malformed)
        .arg(seconds > 0 ? double(received) / seconds : 0, 0, 'f', 0)
        .arg(received > 0 ? cpuS * 1e6 / double(received) : 0, 0, 'f', 2)
        .arg(loopLagP99Ms, 0, 'f', 1)
        .arg(lost == 0 && malformed == 0 && loopLagP99Ms <= 5 ? QStringLiteral("yes")
                                                              : QStringLiteral("no"));
}

QCoro::Task<LinesBenchResult> runLinesBench(LinesBenchOptions o) {
    const auto total = qint64(o.rateHz * o.seconds);
    QProcess instrument;
    auto starting = startDemoProcess(instrument, o.vigilBinary,
                                     {QStringLiteral("--serial"), QStringLiteral("--rate-hz"),
                                      QString::number(o.rateHz), QStringLiteral("--columns"),
                                      QString::number(o.columns), QStringLiteral("--lines"),
                                      QString::number(total)});
    const QString device = co_await starting;
    auto &clock = async::Clock::system();
    sensors::SensorHub hub(clock);
    lines::LineSpec spec;
    spec.device = device;
    spec.format = lines::LineFormat::Csv;
    spec.columns = {QStringLiteral("seq"), QStringLiteral("ts")};
    for (int i = 1; i <= o.columns; ++i)
        spec.columns << QStringLiteral("c%1").arg(i);
    spec.timestamp = QStringLiteral("ts");
    lines::LinesSource source(lines::linesSourceId(spec), spec, hub, clock);
    async::LoopLagProbe probe(10ms);
    probe.keepSamples(1000000);
    probe.start();
    const double cpu0 = util::processCpuSeconds();
    QElapsedTimer wall;
    wall.start();
    source.start();
    LinesBenchResult r;
    r.rateHz = o.rateHz;
    r.columns = o.columns;
    // Until the instrument says it is done, then until no line came for half a second.
    qint64 last = -1;
    qint64 lastAt = 0;
    while (wall.elapsed() < qint64(o.seconds * 1000) + 30000) {
        co_await async::sleepFor(clock, 100ms);
        if (source.lines() != last) {
            last = source.lines();
            lastAt = wall.elapsed();
        }
        if (instrument.state() == QProcess::NotRunning && wall.elapsed() - lastAt > 500)
            break;
    }
    r.seconds = double(lastAt) / 1000;
    r.cpuS = util::processCpuSeconds() - cpu0;
    r.loopLagP99Ms = probe.p99Ms();
    probe.stop();
    r.received = source.lines();
    r.malformed = source.malformed();
    const QString c1 = source.seriesId(QStringLiteral("c1"));
    r.values = hub.contains(c1) ? hub.stats(c1).ok : 0;
    const QString report = QString::fromUtf8(instrument.readAllStandardOutput());
    r.sent = report.section(QStringLiteral("wrote="), 1).section(u' ', 0, 0).toLongLong();
    auto stopping = source.stop();
    co_await stopping;
    stopDemoProcess(instrument);
    if (r.sent == 0)
        throw std::runtime_error("the instrument did not report what it wrote: " +
                                 report.toStdString());
    co_return r;
}

} // namespace vigil::bench
