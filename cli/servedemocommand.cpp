// SPDX-License-Identifier: Apache-2.0
#include "clisupport.h"

#include "demo/demoserver.h"
#include "demo/modbusplant.h"
#include "demo/mqttpublisher.h"
#include "demo/serialinstrument.h"

#include "async/notifier.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace vigil::cli {

namespace {
/// `serve-demo --mqtt URL`: the simulated plant (or a load of --topics) published to a broker.
QCoro::Task<int> publishDemo(mqtt::BrokerAddress broker, demo::PublishPlan plan) {
    demo::MqttDemoPublisher publisher(async::Clock::system(), broker, plan);
    // Shared with the Ctrl+C handler, which outlives this frame (its timer is the app's).
    struct End {
        bool over = false;
        async::Notifier done;
    };
    auto end = std::make_shared<End>();
    const auto finish = [end] {
        end->over = true;
        end->done.notifyAll();
    };
    QObject::connect(&publisher, &demo::MqttDemoPublisher::finished, &publisher, finish);
    onInterrupt(finish);
    publisher.start();
    err() << "Publishing "
          << (plan.topics == 0 ? QStringLiteral("the demo plant (plant/process/+, plant/pumps/+, "
                                                "plant/vibration)")
                               : QStringLiteral("load/0..%1").arg(plan.topics - 1))
          << " to " << broker.hostPort() << ". Ctrl+C stops it." << Qt::endl;
    while (!end->over)
        co_await end->done.wait();
    auto stopping = publisher.stop();
    co_await stopping;
    if (!publisher.error().isEmpty()) {
        err() << "vigil serve-demo: cannot publish to " << broker.hostPort() << ": "
              << publisher.error() << Qt::endl;
        co_return kExitFailed;
    }
    // What the broker took: at QoS 1 a message counts once it is PUBACKed.
    out() << "published=" << publisher.acknowledged() << Qt::endl;
    co_return kExitOk;
}
} // namespace

namespace {
/// `serve-demo --modbus`: Vigil's Modbus TCP server with the demo plant, or --registers N.
int serveModbus(quint16 port, int registers) {
    demo::ModbusDemoServer server(registers);
    if (!server.listen(port)) {
        err() << "vigil serve-demo: " << server.errorString() << Qt::endl;
        return kExitFailed;
    }
    out() << "modbus://127.0.0.1:" << server.port() << Qt::endl;
    if (registers > 0)
        err() << "Vigil Modbus TCP server on 127.0.0.1:" << server.port() << " (unit 1): holding "
              << "registers 0.." << registers - 1 << ", uint16 counters. Ctrl+C stops it."
              << Qt::endl;
    else
        err() << "Vigil Modbus TCP plant on 127.0.0.1:" << server.port() << " (unit 1), 10 Hz: "
              << "holding 0 Reactor_Temp float32 ABCD, 2 Reactor_Press float32 CDAB, 4 Feed_Flow "
                 "int16 x0.1, 5 Coolant_Temp uint16 BADC x0.01, 6 Energy float64 DCBA; input 0 "
                 "Pump_1 int32 BADC, 2 Pump_2 uint32 CDAB, 4 Strokes int64; coil 0 pump running; "
                 "discrete 0 high-temperature switch. Ctrl+C stops it."
              << Qt::endl;
    onInterrupt([] { QCoreApplication::quit(); });
    return QCoreApplication::exec();
}
} // namespace

namespace {
/// `serve-demo --serial`: Vigil's instrument on a pseudo-terminal, until Ctrl+C or --lines.
int serveSerial(double rateHz, int columns, qint64 lines) {
    demo::SerialInstrument instrument(rateHz, columns);
    instrument.setLimit(lines);
    if (!instrument.open()) {
        err() << "vigil serve-demo: " << instrument.errorString() << Qt::endl;
        return kExitFailed;
    }
    out() << instrument.devicePath() << Qt::endl;
    err() << "Vigil serial instrument on " << instrument.devicePath() << ": CSV lines seq,ts,"
          << instrument.columns().join(u',') << " at " << rateHz
          << " Hz; commands: RATE n. Ctrl+C stops it." << Qt::endl;
    const auto report = [&instrument] {
        out() << "wrote=" << instrument.linesWritten() << " lost=" << instrument.linesLost()
              << Qt::endl;
        QCoreApplication::quit();
    };
    QObject::connect(&instrument, &demo::SerialInstrument::finished, &instrument, report);
    onInterrupt([] { QCoreApplication::quit(); });
    return QCoreApplication::exec();
}
} // namespace

namespace {
/// Every serve-demo option: HTTP (port, seed), --mqtt, --modbus and --serial.
struct ServeFlags {
    QCommandLineOption port{QStringLiteral("port"),
                            QStringLiteral("TCP port (default 0: any free)."), QStringLiteral("N"),
                            QStringLiteral("0")};
    QCommandLineOption seed{QStringLiteral("seed"),
                            QStringLiteral("Seed for the fault endpoints (default 1)."),
                            QStringLiteral("S"), QStringLiteral("1")};
    QCommandLineOption hosts{
        QStringLiteral("hosts"),
        QStringLiteral("Listen also on N more loopback addresses, 127.0.1.1 … (the same port): N "
                       "hosts for fan-out tests, each its own origin. /hosts/{id}?down=FROM-TO "
                       "takes every tenth host down (429) for a while."),
        QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption mqttOption{
        QStringLiteral("mqtt"),
        QStringLiteral("Publish to this broker (mqtt://host:port) instead of serving HTTP: the "
                       "demo plant under plant/process/+, plant/pumps/+ and plant/vibration, or "
                       "--topics load topics."),
        QStringLiteral("URL")};
    QCommandLineOption topics{QStringLiteral("topics"),
                              QStringLiteral("With --mqtt: publish load/0..T-1 instead of the "
                                             "plant."),
                              QStringLiteral("T"), QStringLiteral("0")};
    QCommandLineOption rate{QStringLiteral("rate-hz"),
                            QStringLiteral("With --topics: messages per second per topic (0: as "
                                           "fast as the broker takes them)."),
                            QStringLiteral("R"), QStringLiteral("10")};
    QCommandLineOption seconds{QStringLiteral("seconds"),
                               QStringLiteral("With --mqtt: stop after D seconds and print "
                                              "published=N (default: at Ctrl+C)."),
                               QStringLiteral("D"), QStringLiteral("0")};
    QCommandLineOption qos{QStringLiteral("qos"), QStringLiteral("With --mqtt: 0 or 1."),
                           QStringLiteral("Q"), QStringLiteral("0")};
    QCommandLineOption modbusOption{
        QStringLiteral("modbus"),
        QStringLiteral("Serve Modbus TCP on 127.0.0.1 instead of HTTP: the demo plant in "
                       "registers of several types and word orders (unit 1). The first line "
                       "printed is modbus://127.0.0.1:PORT.")};
    QCommandLineOption registers{QStringLiteral("registers"),
                                 QStringLiteral("With --modbus: serve holding registers 0..N-1, "
                                                "uint16 counters, instead of the plant."),
                                 QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption serialOption{
        QStringLiteral("serial"),
        QStringLiteral("Be a serial instrument instead of serving HTTP: CSV lines on a "
                       "pseudo-terminal, whose path is the first line printed (rate: --rate-hz, "
                       "default 10).")};
    QCommandLineOption columns{QStringLiteral("columns"),
                               QStringLiteral("With --serial: N synthetic columns c1..cN instead "
                                              "of the plant's four."),
                               QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption linesOption{QStringLiteral("lines"),
                                   QStringLiteral("With --serial: stop after N lines and print "
                                                  "wrote=N lost=L."),
                                   QStringLiteral("N"), QStringLiteral("0")};

    void addTo(QCommandLineParser &parser) const {
        parser.addOptions({port, seed, hosts, mqttOption, topics, rate, seconds, qos, modbusOption,
                           registers, serialOption, columns, linesOption});
    }
};

int publishFromFlags(const QCommandLineParser &parser, const ServeFlags &f) {
    QString why;
    const auto broker = mqtt::parseBrokerUrl(parser.value(f.mqttOption), &why);
    if (!broker || broker->tls)
        return usageError(
            "serve-demo",
            QStringLiteral("--mqtt %1").arg(broker ? QStringLiteral("must be mqtt://") : why));
    demo::PublishPlan plan;
    bool ok[4] = {};
    plan.topics = parser.value(f.topics).toInt(&ok[0]);
    plan.rateHz = parser.value(f.rate).toDouble(&ok[1]);
    plan.seconds = parser.value(f.seconds).toDouble(&ok[2]);
    plan.qos = parser.value(f.qos).toInt(&ok[3]);
    if (!ok[0] || !ok[1] || !ok[2] || !ok[3] || plan.topics < 0 || plan.topics > 1000000 ||
        plan.rateHz < 0 || plan.seconds < 0 || plan.qos < 0 || plan.qos > 1)
        return usageError("serve-demo", QStringLiteral("--topics, --rate-hz and --seconds take "
                                                       "numbers of 0 or more, --qos 0 or 1"));
    acceptInterruptAsEnd();
    return runOnLoop(publishDemo(*broker, plan));
}

int serialFromFlags(const QCommandLineParser &parser, const ServeFlags &f) {
    bool ok[3] = {};
    const double hz = parser.value(f.rate).toDouble(&ok[0]);
    const int n = parser.value(f.columns).toInt(&ok[1]);
    const qint64 limit = parser.value(f.linesOption).toLongLong(&ok[2]);
    if (!ok[0] || !ok[1] || !ok[2] || hz < 1 || hz > 100000 || n < 0 || n > 64 || limit < 0)
        return usageError("serve-demo", QStringLiteral("--serial: --rate-hz takes 1..100000, "
                                                       "--columns 0..64, --lines 0 or more"));
    return serveSerial(hz, n, limit);
}

/// The demo HTTP API, or with --modbus the Modbus device, on --port.
int serveFromFlags(const QCommandLineParser &parser, const ServeFlags &f) {
    bool portOk = false, seedOk = false;
    const uint portValue = parser.value(f.port).toUInt(&portOk);
    if (parser.isSet(f.modbusOption)) {
        bool registersOk = false;
        const int n = parser.value(f.registers).toInt(&registersOk);
        if (!portOk || portValue > 65535 || !registersOk || n < 0 || n > 65535)
            return usageError("serve-demo", QStringLiteral("--port takes 0 to 65535, --registers "
                                                           "0 to 65535"));
        return serveModbus(quint16(portValue), n);
    }
    const uint seedValue = parser.value(f.seed).toUInt(&seedOk);
    bool hostsOk = false;
    const int hosts = parser.value(f.hosts).toInt(&hostsOk);
    if (!hostsOk || hosts < 0 || hosts > demo::kMaxDemoHosts)
        return usageError("serve-demo",
                          QStringLiteral("--hosts takes 0 to %1").arg(demo::kMaxDemoHosts));
    if (!portOk || portValue > 65535)
        return usageError("serve-demo",
                          QStringLiteral("--port must be a whole number from 0 to 65535"));
    if (!seedOk)
        return usageError("serve-demo", QStringLiteral("--seed must be a whole number"));
    demo::DemoServer server(seedValue);
    if (!server.listen(quint16(portValue)) || !server.listenOnHosts(hosts)) {
        err() << "vigil serve-demo: " << server.errorString() << Qt::endl;
        return kExitFailed;
    }
    out() << server.baseUrl().toString() << Qt::endl;
    if (hosts > 0)
        err() << "Also on " << demo::demoHostAddress(1) << " … " << demo::demoHostAddress(hosts)
              << ", port " << server.port() << " (" << hosts << " hosts)." << Qt::endl;
    err() << "Vigil demo API on " << server.baseUrl().toString()
          << " (loopback only). Endpoints: /item/{id}?ms=&fail=  /compound/{name}  /kinetics/{id}  "
             "/sensors  /sensors/{name}  /bytes/{n}  /limited/{id}?rps=  "
             "/quota/{id}?rps=&ms=&announce=  /hosts/{id}?down=&every=&ms=  /flaky/{id}?p=  "
             "/fail-first/{id}?n=  /hang  "
             "/slowbody  /redirect-loop  /huge  /bad-json  /stats. Ctrl+C stops it."
          << Qt::endl;
    onInterrupt([] { QCoreApplication::quit(); });
    return QCoreApplication::exec();
}
} // namespace

int runServeDemo(const QStringList &args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Serve the demo HTTP API on 127.0.0.1 until interrupted. Port 0 picks a free port; the "
        "first line printed is the URL. With --mqtt, publish the demo plant (or a load) to an "
        "MQTT broker instead; with --modbus, serve it as a Modbus TCP device; with --serial, be a "
        "serial instrument on a pseudo-terminal. Exit code 0: stopped by Ctrl+C (or --seconds, "
        "--lines); 1: cannot listen; 2: usage error."));
    parser.addHelpOption();
    const ServeFlags flags;
    flags.addTo(parser);
    if (const auto code = parseOrExit(parser, args, "serve-demo"))
        return *code;
    if (parser.isSet(flags.mqttOption))
        return publishFromFlags(parser, flags);
    if (parser.isSet(flags.serialOption))
        return serialFromFlags(parser, flags);
    return serveFromFlags(parser, flags);
}

} // namespace vigil::cli
