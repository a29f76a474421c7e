// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>

#include <memory>

namespace vigil::dashboard {
struct DashboardConfig;
}

namespace vigil::demo {

/// @brief Vigil's own Modbus TCP server for the offline demo, the benchmark and the tests
/// (`vigil serve-demo --modbus`): a QModbusTcpServer on 127.0.0.1, unit id 1. GUI thread.
///
/// With no load it serves the simulated plant at 10 Hz, in registers of several types and word
/// orders (see modbusPlantDashboard() and the README's table). With a load of N it serves
/// holding registers 0..N-1, each a uint16 that counts up every 100 ms.
class ModbusDemoServer : public QObject {
    Q_OBJECT
public:
    explicit ModbusDemoServer(int loadRegisters = 0, QObject *parent = nullptr);
    ~ModbusDemoServer() override;

    /// Listens on 127.0.0.1:@p port (0: a free one). False, with errorString(), when it cannot.
    bool listen(quint16 port = 0);
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] const QString &errorString() const { return m_error; }
    /// Requests served so far (every function code), for the benchmark.
    [[nodiscard]] qint64 requests() const;

private:
    class Server;
    struct Plant;
    void update();

    int m_load;
    std::unique_ptr<Plant> m_plant;
    Server *m_server; // a child
    quint16 m_port = 0;
    QString m_error;
    qint64 m_tick = 0;
};

/// The dashboard that reads the demo plant at 127.0.0.1:@p port: every table, type and order.
[[nodiscard]] dashboard::DashboardConfig modbusPlantDashboard(quint16 port);

} // namespace vigil::demo
