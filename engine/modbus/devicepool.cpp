// SPDX-License-Identifier: Apache-2.0
#include "devicepool.h"

namespace vigil::modbus {

DevicePool::DevicePool(async::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock) {}

DevicePool::~DevicePool() {
    Q_ASSERT_X(m_devices.empty(), "~DevicePool", "release every device first");
}

std::shared_ptr<ModbusDevice> DevicePool::acquire(const QString &host, int port) {
    // Host names are not case-sensitive: PLC1 and plc1 are one device, one connection.
    Entry &entry = m_devices[{host.toLower(), port}];
    if (!entry.device) {
        entry.device = std::make_shared<ModbusDevice>(m_clock, host, port);
        connect(entry.device.get(), &ModbusDevice::logMessage, this, &DevicePool::logMessage);
    }
    ++entry.users;
    return entry.device;
}

QCoro::Task<> DevicePool::release(std::shared_ptr<ModbusDevice> device) {
    const auto it = m_devices.find({device->host().toLower(), device->port()});
    if (it == m_devices.end() || it->second.device != device || --it->second.users > 0)
        co_return;
    m_devices.erase(it);
    auto stopping = device->stop();
    co_await stopping;
}

ModbusDevice *DevicePool::find(const QString &host, int port) const {
    const auto it = m_devices.find({host.toLower(), port});
    return it == m_devices.end() ? nullptr : it->second.device.get();
}

} // namespace vigil::modbus
