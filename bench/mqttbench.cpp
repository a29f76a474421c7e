// SPDX-License-Identifier: Apache-2.0
#include "mqttbench.h"

#include "async/looplagprobe.h"
#include "async/settle.h"
#include "async/sleep.h"
#include "demo/mosquittoprocess.h"
#include "mqtt/mqttsource.h"
#include "sensors/sensorhub.h"
#include "util/processstats.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <optional>
#include <stdexcept>

#include <unistd.h>

namespace vigil::bench {

namespace {
using namespace std::chrono_literals;

/// A child's CPU time (user + system) from /proc, in seconds; 0 when it is gone.
double childCpuSeconds(qint64 pid) {
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    // Fields after the command name in parentheses: state is field 3, utime 14, stime 15.
    const QList<QByteArray> f = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (f.size() < 13)
        return 0;
    return double(f[11].toLongLong() + f[12].toLongLong()) / double(sysconf(_SC_CLK_TCK));
}

qint64 countLines(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    qint64 n = 0;
    while (!f.atEnd())
        n += f.read(1 << 20).count('\n');
    return n;
}

mqtt::MqttSpec loadSpec(const demo::MosquittoProcess &broker, const MqttBenchOptions &o) {
    mqtt::MqttSpec spec;
    spec.broker = broker.url();
    spec.topic = QStringLiteral("load/#");
    spec.qos = o.qos;
    spec.fields = {{QStringLiteral("v"), QStringLiteral("/v")}};
    spec.timestampPointer = QStringLiteral("/ts");
    spec.maxSeries = o.topics + 10;
    return spec;
}

QCoro::Task<MqttBenchResult> measure(mqtt::MqttSource &source, QProcess &sub,
                                     const demo::MosquittoProcess &broker, QString subOut,
                                     MqttBenchOptions o);

/// Waits until @p count stops growing for a second (the stream has drained), at most 20 s;
/// returns when it last grew.
template <typename Count> QCoro::Task<async::Clock::TimePoint> drained(Count count) {
    auto &clock = async::Clock::system();
    qint64 last = -1;
    auto grew = clock.now();
    for (int quiet = 0, i = 0; quiet < 10 && i < 200; ++i) {
        const qint64 now = count();
        quiet = now == last ? quiet + 1 : 0;
        if (now != last)
            grew = clock.now();
        last = now;
        co_await async::sleepFor(clock, 100ms);
    }
    co_return grew;
}
} // namespace

QString MqttBenchResult::summaryLine() const {
    const double perS = seconds > 0 ? double(received) / seconds : 0;
    const double us = received > 0 ? cpuS * 1e6 / double(received) : 0;
    const double subUs = subReceived > 0 ? subCpuS * 1e6 / double(subReceived) : 0;
    return QStringLiteral("bench-mqtt topics=%1 published=%2 received=%3 lost=%4 msg_per_s=%5 "
                          "cpu_us_per_msg=%6 mosquitto_sub_cpu_us_per_msg=%7 cpu_ratio=%8 "
                          "loop_lag_p99_ms=%9 mosquitto_sub_received=%10 "
                          "mosquitto_sub_msg_per_s=%11")
        .arg(topics)
        .arg(published)
        .arg(received)
        .arg(published - received)
        .arg(perS, 0, 'f', 0)
        .arg(us, 0, 'f', 2)
        .arg(subUs, 0, 'f', 2)
        .arg(subUs > 0 ? us / subUs : 0, 0, 'f', 2)
        .arg(loopLagP99Ms, 0, 'f', 2)
        .arg(subReceived)
        .arg(seconds > 0 ? double(subReceived) / seconds : 0, 0, 'f', 0);
}

QCoro::Task<MqttBenchResult> runMqttBench(MqttBenchOptions o) {
    auto &clock = async::Clock::system();
    demo::MosquittoProcess broker;
    auto starting = broker.start();
    if (!co_await starting)
        throw std::runtime_error(broker.errorString().toStdString());
    QTemporaryDir dir;
    const QString subOut = dir.filePath(QStringLiteral("mosquitto_sub.txt"));
    QProcess sub; // the C baseline: libmosquitto and a printf per message, to a file
    sub.setStandardOutputFile(subOut);
    sub.start(QStringLiteral("mosquitto_sub"),
              {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
               QString::number(broker.port()), QStringLiteral("-t"), QStringLiteral("load/#"),
               QStringLiteral("-q"), QString::number(o.qos)});
    if (!sub.waitForStarted(5000))
        throw std::runtime_error("mosquitto_sub did not start (apt-get install mosquitto-clients)");

    sensors::SensorHub hub(clock);
    mqtt::MqttSource source(QStringLiteral("bench"), loadSpec(broker, o), hub, clock);
    source.start();
    for (int i = 0; i < 250 && source.client().state() != mqtt::MqttClient::State::Connected; ++i)
        co_await async::sleepFor(clock, 20ms);
    co_await async::sleepFor(clock, 500ms); // mosquitto_sub subscribed too by now
    auto measuring = measure(source, sub, broker, subOut, o);
    // The source stops whatever happened: it must not go with its tasks still running.
    const auto outcome = co_await async::settle(std::move(measuring));
    auto stopping = source.stop();
    co_await stopping;
    if (!outcome.isOk())
        std::rethrow_exception(outcome.error());
    co_return outcome.value();
}

namespace {
QCoro::Task<MqttBenchResult> measure(mqtt::MqttSource &source, QProcess &sub,
                                     const demo::MosquittoProcess &broker, QString subOut,
                                     MqttBenchOptions o) {
    auto &clock = async::Clock::system();
    if (source.client().state() != mqtt::MqttClient::State::Connected)
        throw std::runtime_error("Vigil's subscriber did not connect: " +
                                 source.client().stateText().toStdString());
    async::LoopLagProbe probe(10ms);
    probe.keepSamples(100000);
    probe.start();
    const double cpu0 = util::processCpuSeconds();
    const double subCpu0 = childCpuSeconds(sub.processId());
    QProcess publisher;
    publisher.start(o.vigilBinary,
                    {QStringLiteral("serve-demo"), QStringLiteral("--mqtt"), broker.url(),
                     QStringLiteral("--topics"), QString::number(o.topics),
                     QStringLiteral("--rate-hz"), QString::number(o.rateHz),
                     QStringLiteral("--seconds"), QString::number(o.seconds),
                     QStringLiteral("--qos"), QString::number(o.qos)});
    std::optional<async::Clock::TimePoint> first; // the stream's first message, within 20 ms
    while (publisher.state() != QProcess::NotRunning) {
        if (!first && source.messages() > 0)
            first = clock.now();
        co_await async::sleepFor(clock, 20ms);
    }
    MqttBenchResult r;
    const QByteArray said = publisher.readAllStandardOutput().trimmed();
    if (!said.startsWith("published="))
        throw std::runtime_error("the publisher failed: " +
                                 publisher.readAllStandardError().toStdString());
    r.published = said.mid(10).toLongLong();
    // The file's size, not its lines: counting would add this process's CPU to the measure.
    auto draining = drained([&] { return source.messages() + QFileInfo(subOut).size(); });
    const auto last = co_await draining;
    // From the first message to the last, as Vigil's subscriber saw them (within 100 ms).
    r.seconds = first ? std::chrono::duration<double>(last - *first).count() : 0;
    r.cpuS = util::processCpuSeconds() - cpu0;
    r.subCpuS = childCpuSeconds(sub.processId()) - subCpu0;
    r.loopLagP99Ms = probe.p99Ms();
    probe.stop();
    r.topics = o.topics;
    r.received = source.messages();
    sub.terminate();
    sub.waitForFinished(3000);
    r.subReceived = countLines(subOut);
    co_return r;
}
} // namespace

} // namespace vigil::bench
