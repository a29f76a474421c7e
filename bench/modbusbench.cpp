// SPDX-License-Identifier: Apache-2.0
#include "modbusbench.h"

#include "demoprocess.h"

#include "async/looplagprobe.h"
#include "async/settle.h"
#include "async/sleep.h"
#include "modbus/devicepool.h"
#include "modbus/registersensor.h"
#include "sensors/sensorhub.h"
#include "util/percentile.h"
#include "util/processstats.h"

#include <QProcess>

#include <cmath>
#include <stdexcept>

namespace vigil::bench {

using namespace std::chrono_literals;

double ModbusBenchResult::targetRequestsPerCycle() const {
    return std::ceil(double(registers) / modbus::kMaxRegistersPerRead);
}

QString ModbusBenchResult::summaryLine() const {
    const double perCycle = cycles > 0 ? double(requests) / double(cycles) : 0;
    const double polled = double(readings + failed);
    return QStringLiteral("bench-modbus registers=%1 interval_ms=%2 cycles=%3 "
                          "requests_per_cycle=%4 target=%5 met=%6 cycle_p99_ms=%7 "
                          "cpu_us_per_register=%8 loop_lag_p99_ms=%9 readings=%10 failed=%11")
        .arg(registers)
        .arg(intervalMs)
        .arg(cycles)
        .arg(perCycle, 0, 'f', 2)
        .arg(targetRequestsPerCycle(), 0, 'f', 0)
        .arg(cycles > 0 && perCycle <= targetRequestsPerCycle() ? QStringLiteral("yes")
                                                                : QStringLiteral("no"))
        .arg(cycleP99Ms, 0, 'f', 1)
        .arg(polled > 0 ? cpuS * 1e6 / polled : 0, 0, 'f', 2)
        .arg(loopLagP99Ms, 0, 'f', 1)
        .arg(readings)
        .arg(failed);
}

namespace {
QCoro::Task<ModbusBenchResult> measure(sensors::SensorHub &hub, modbus::DevicePool &pool,
                                       quint16 port, ModbusBenchOptions o) {
    ModbusBenchResult r;
    r.registers = o.registers;
    r.intervalMs = o.intervalMs;
    std::vector<double> cycleMs;
    // Cycles are the poller's, whose first and last are partial: both are left out.
    // Both point into this frame: disconnected before it ends.
    const auto cycles =
        QObject::connect(&hub.poller(), &sensors::Poller::cycleFinished, &hub,
                         [&cycleMs](double ms, double, double, int) { cycleMs.push_back(ms); });
    const auto readings = QObject::connect(&hub, &sensors::SensorHub::readingAdded, &hub,
                                           [&r](const QString &, const sensors::Reading &reading) {
                                               ++(reading.ok() ? r.readings : r.failed);
                                           });
    auto &clock = async::Clock::system();
    hub.start();
    co_await async::sleepFor(clock, 1s); // connected, and the first cycles done
    auto *device = pool.find(QStringLiteral("127.0.0.1"), port);
    if (!device) {
        QObject::disconnect(cycles);
        QObject::disconnect(readings);
        throw std::runtime_error("no reads were made");
    }
    async::LoopLagProbe probe(10ms);
    probe.keepSamples(100000);
    probe.start();
    cycleMs.clear();
    r.readings = r.failed = 0;
    const qint64 requests0 = device->requestsSent();
    const double cpu0 = util::processCpuSeconds();
    co_await async::sleepFor(clock,
                             std::chrono::duration_cast<async::Clock::Duration>(o.seconds * 1s));
    r.cpuS = util::processCpuSeconds() - cpu0;
    r.requests = device->requestsSent() - requests0;
    r.cycles = qint64(cycleMs.size());
    r.cycleP99Ms = util::nearestRankPercentile(cycleMs, 99);
    r.loopLagP99Ms = probe.p99Ms();
    probe.stop();
    QObject::disconnect(cycles);
    QObject::disconnect(readings);
    co_return r;
}
} // namespace

QCoro::Task<ModbusBenchResult> runModbusBench(ModbusBenchOptions o) {
    QProcess server;
    auto starting = startDemoProcess(
        server, o.vigilBinary,
        {QStringLiteral("--modbus"), QStringLiteral("--registers"), QString::number(o.registers)});
    const QString url = co_await starting; // modbus://127.0.0.1:PORT
    const auto port = quint16(url.section(u':', -1).toUInt());
    auto &clock = async::Clock::system();
    modbus::DevicePool pool(clock);
    sensors::SensorHub hub(clock);
    for (int a = 0; a < o.registers; ++a) {
        modbus::RegisterSpec spec;
        spec.host = QStringLiteral("127.0.0.1");
        spec.port = port;
        spec.address = a;
        auto sensor = std::make_shared<modbus::RegisterSensor>(spec, QStringLiteral("r%1").arg(a),
                                                               QString(), pool);
        sensor->setInterval(std::chrono::milliseconds(o.intervalMs));
        sensor->setTimeout(std::chrono::milliseconds(std::max(o.intervalMs, 1000)));
        hub.add(sensor);
    }
    auto measuring = measure(hub, pool, port, o);
    auto outcome = co_await async::settle(std::move(measuring));
    auto stopping = hub.stop(); // closes the sensors: the device disconnects
    co_await stopping;
    stopDemoProcess(server);
    if (!outcome.isOk())
        std::rethrow_exception(outcome.error());
    co_return outcome.value();
}

} // namespace vigil::bench
