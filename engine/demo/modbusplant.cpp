// SPDX-License-Identifier: Apache-2.0
#include "modbusplant.h"

#include "dashboard/dashboardconfig.h"
#include "modbus/modbusspec.h"
#include "sensors/meanrevertingwalk.h"
#include "sensors/simulatedsensor.h"
#include "util/childprocess.h"

#include <QModbusTcpServer>
#include <QTimer>

namespace vigil::demo {

using modbus::DataType;
using modbus::Table;
using modbus::WordOrder;

namespace {
/// Where the plant puts each value: what modbusPlantDashboard() reads, and the README lists.
struct Slot {
    const char *name;
    const char *unit;
    Table table;
    int address;
    DataType type;
    WordOrder order;
    double scale; // the register holds value / scale
};
const Slot kSlots[] = {
    {"Reactor_Temp", "°C", Table::Holding, 0, DataType::Float32, WordOrder::ABCD, 1},
    {"Reactor_Press", "bar", Table::Holding, 2, DataType::Float32, WordOrder::CDAB, 1},
    {"Feed_Flow", "L/min", Table::Holding, 4, DataType::Int16, WordOrder::ABCD, 0.1},
    {"Coolant_Temp", "°C", Table::Holding, 5, DataType::UInt16, WordOrder::BADC, 0.01},
    {"Energy", "kWh", Table::Holding, 6, DataType::Float64, WordOrder::DCBA, 1},
    {"Pump_1", "rpm", Table::Input, 0, DataType::Int32, WordOrder::BADC, 1},
    {"Pump_2", "rpm", Table::Input, 2, DataType::UInt32, WordOrder::CDAB, 1},
    {"Strokes", "", Table::Input, 4, DataType::Int64, WordOrder::ABCD, 1},
};
constexpr int kRegisters = 10; // per register table in plant mode

QModbusDataUnit::RegisterType registerType(Table t) {
    return t == Table::Holding ? QModbusDataUnit::HoldingRegisters
                               : QModbusDataUnit::InputRegisters;
}
} // namespace

/// QModbusTcpServer that counts the requests it serves.
class ModbusDemoServer::Server : public QModbusTcpServer {
public:
    using QModbusTcpServer::QModbusTcpServer;
    qint64 served = 0;

protected:
    QModbusResponse processRequest(const QModbusPdu &request) override {
        ++served;
        return QModbusTcpServer::processRequest(request);
    }
};

struct ModbusDemoServer::Plant {
    QList<sensors::SimulatedSpec> specs = sensors::processSensorSpecs();
    std::vector<sensors::MeanRevertingWalk> process;
    std::vector<sensors::MeanRevertingWalk> pumps;
    double energy = 1000;
    qint64 strokes = 0;
    Plant() {
        for (const auto &s : specs)
            process.emplace_back(s.setpoint, s.sigma, 0.1, s.seed);
        for (int i = 0; i < 2; ++i)
            pumps.emplace_back(1450 + 50 * i, 8, 0.1, 100 + i);
    }
};

ModbusDemoServer::ModbusDemoServer(int loadRegisters, QObject *parent)
    : QObject(parent)
    , m_load(loadRegisters)
    , m_plant(std::make_unique<Plant>())
    , m_server(new Server(this)) {
    const int registers = m_load > 0 ? m_load : kRegisters;
    QModbusDataUnitMap map;
    map.insert(QModbusDataUnit::HoldingRegisters,
               {QModbusDataUnit::HoldingRegisters, 0, quint16(registers)});
    map.insert(QModbusDataUnit::InputRegisters,
               {QModbusDataUnit::InputRegisters, 0, quint16(registers)});
    map.insert(QModbusDataUnit::Coils, {QModbusDataUnit::Coils, 0, 8});
    map.insert(QModbusDataUnit::DiscreteInputs, {QModbusDataUnit::DiscreteInputs, 0, 8});
    m_server->setMap(map);
    m_server->setServerAddress(1);
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &ModbusDemoServer::update);
    timer->start(100);
    update();
}

ModbusDemoServer::~ModbusDemoServer() {
    m_server->disconnectDevice();
}

bool ModbusDemoServer::listen(quint16 port) {
    // QModbusTcpServer takes no port 0: pick a free one, and try again if it went meanwhile.
    for (int attempt = 0; attempt < (port == 0 ? 5 : 1); ++attempt) {
        const quint16 p = port == 0 ? util::freeLoopbackPort() : port;
        m_server->setConnectionParameter(QModbusDevice::NetworkAddressParameter,
                                         QStringLiteral("127.0.0.1"));
        m_server->setConnectionParameter(QModbusDevice::NetworkPortParameter, p);
        if (m_server->connectDevice() && m_server->state() == QModbusDevice::ConnectedState) {
            m_port = p;
            return true;
        }
        m_error = m_server->errorString();
        m_server->disconnectDevice();
    }
    if (m_error.isEmpty())
        m_error = tr("cannot listen on 127.0.0.1:%1").arg(port);
    return false;
}

qint64 ModbusDemoServer::requests() const {
    return m_server->served;
}

void ModbusDemoServer::update() {
    ++m_tick;
    if (m_load > 0) {
        QModbusDataUnit unit(QModbusDataUnit::HoldingRegisters, 0, quint16(m_load));
        for (int i = 0; i < m_load; ++i)
            unit.setValue(i, quint16(m_tick + i));
        m_server->setData(unit);
        return;
    }
    Plant &p = *m_plant;
    double values[std::size(kSlots)];
    for (std::size_t i = 0; i < p.process.size(); ++i)
        values[i] = p.process[i].next();
    p.energy += 0.01;
    p.strokes += 3;
    values[4] = p.energy;
    values[5] = p.pumps[0].next();
    values[6] = p.pumps[1].next();
    values[7] = double(p.strokes);
    for (std::size_t i = 0; i < std::size(kSlots); ++i) {
        const Slot &s = kSlots[i];
        const QList<quint16> words =
            modbus::encodeRegisters(std::round(values[i] / s.scale * 1e6) / 1e6, s.type, s.order);
        m_server->setData(QModbusDataUnit(registerType(s.table), s.address, words));
    }
    // Pump 1 runs but for 2 s of every 10; the high-temperature switch follows Reactor_Temp.
    m_server->setData(QModbusDataUnit::Coils, 0, quint16(m_tick % 100 < 80 ? 1 : 0));
    m_server->setData(QModbusDataUnit::DiscreteInputs, 0, quint16(values[0] > 152 ? 1 : 0));
}

dashboard::DashboardConfig modbusPlantDashboard(quint16 port) {
    dashboard::DashboardConfig c;
    const dashboard::DashboardConfig defaults = dashboard::DashboardConfig::defaults();
    const auto sensor = [port](const QString &name, const QString &unit) {
        dashboard::SensorConfig s;
        s.type = QStringLiteral("modbus");
        s.name = name;
        s.unit = unit;
        s.modbus.host = QStringLiteral("127.0.0.1");
        s.modbus.port = port;
        s.intervalMs = 500;
        s.timeoutMs = 1000;
        return s;
    };
    for (const Slot &slot : kSlots) {
        dashboard::SensorConfig s =
            sensor(QString::fromUtf8(slot.name), QString::fromUtf8(slot.unit));
        s.modbus.table = slot.table;
        s.modbus.address = slot.address;
        s.modbus.dataType = slot.type;
        s.modbus.wordOrder = slot.order;
        s.modbus.scale = slot.scale;
        for (const auto &d : defaults.sensors) // the process sensors' alarm bands
            if (d.name == s.name)
                s.thresholds = d.thresholds;
        c.sensors << s;
    }
    dashboard::SensorConfig running = sensor(QStringLiteral("Pump_1_running"), {});
    running.modbus.table = Table::Coil;
    dashboard::SensorConfig hot = sensor(QStringLiteral("High_temp_switch"), {});
    hot.modbus.table = Table::Discrete;
    c.sensors << running << hot;
    const auto id = [&c](int i) { return c.sensors[i].id(); };
    c.charts = {{id(0)},        {id(1)}, {id(2)}, {id(3)},
                {id(5), id(6)}, {id(4)}, {id(7)}, {id(8), id(9)}};
    return c;
}

} // namespace vigil::demo
