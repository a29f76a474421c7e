// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "modbusspec.h"

#include "sensors/sensor.h"

#include <memory>

namespace vigil::modbus {

class DevicePool;
class ModbusDevice;

/// @brief A value in a Modbus device's registers (or a coil or discrete input): read through
/// the device's shared connection, decoded by type and word order, then scaled.
class RegisterSensor final : public sensors::Sensor {
public:
    /// Takes a user of the device at the spec's host and port from @p pool, from the first
    /// read until close().
    RegisterSensor(RegisterSpec spec, QString name, QString unit, DevicePool &pool);
    ~RegisterSensor() override;

    [[nodiscard]] QCoro::Task<double> read(std::stop_token token) override;
    /// Releases the device; the last sensor of a device disconnects it.
    [[nodiscard]] QCoro::Task<> close() override;
    [[nodiscard]] const RegisterSpec &spec() const { return m_spec; }
    /// The raw value @p words hold for @p spec, scaled: what read() returns. Pure.
    [[nodiscard]] static double valueOf(const RegisterSpec &spec, const QList<quint16> &words);

private:
    RegisterSpec m_spec;
    DevicePool &m_pool;
    std::shared_ptr<ModbusDevice> m_device; // null until read, and once closed
};

} // namespace vigil::modbus
