// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "modbusdevice.h"

#include <QObject>

#include <map>
#include <memory>

namespace vigil::modbus {

/// @brief The open Modbus connections, one per host and port, shared by the register sensors
/// that read them. GUI thread; owned by the session that owns the sensors.
///
/// A device is made on the first acquire() and stopped when its last user releases it, so a
/// dashboard's forty registers of one PLC are one connection with one transaction at a time.
class DevicePool : public QObject {
    Q_OBJECT
public:
    explicit DevicePool(async::Clock &clock, QObject *parent = nullptr);
    /// Asserts that every device was released.
    ~DevicePool() override;

    /// The device at @p host : @p port, made (and not yet connected) if it is new.
    [[nodiscard]] std::shared_ptr<ModbusDevice> acquire(const QString &host, int port);
    /// One user fewer; the last one stops and forgets the device.
    [[nodiscard]] QCoro::Task<> release(std::shared_ptr<ModbusDevice> device);
    [[nodiscard]] std::size_t size() const { return m_devices.size(); }
    /// The device at @p host : @p port, or nullptr.
    [[nodiscard]] ModbusDevice *find(const QString &host, int port) const;

Q_SIGNALS:
    /// A device's line for the event log.
    void logMessage(const QString &message);

private:
    struct Entry {
        std::shared_ptr<ModbusDevice> device;
        int users = 0;
    };
    async::Clock &m_clock;
    std::map<std::pair<QString, int>, Entry> m_devices;
};

} // namespace vigil::modbus
