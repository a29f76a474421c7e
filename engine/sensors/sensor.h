// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QDateTime>
#include <QString>

#include <chrono>
#include <stdexcept>
#include <stop_token>

namespace vigil::sensors {

enum class SensorKind { Simulated, Instrument, System, HttpJson, Stream, Modbus };

enum class ReadingError {
    None,
    Timeout,     ///< the read passed its deadline
    Unavailable, ///< the source could not be reached or read
    BadData,     ///< the source answered, but not with a number
};

[[nodiscard]] QString readingErrorName(ReadingError error);

/// @brief Thrown by Sensor::read for a failed read; the Poller turns it into a Reading.
class SensorError : public std::runtime_error {
public:
    SensorError(ReadingError kind, const QString &message)
        : std::runtime_error(message.toStdString())
        , m_kind(kind) {}
    [[nodiscard]] ReadingError kind() const { return m_kind; }

private:
    ReadingError m_kind;
};

/// @brief One sample: when it was taken, and a value or an error.
struct Reading {
    qint64 timeMs = 0; ///< when the value (or the failure) arrived: wall-clock ms since the epoch
    qint64 slotTimeMs = 0; ///< the poll slot it was read for, as timeMs (cycle statistics)
    double value = 0;
    ReadingError error = ReadingError::None;
    QString message;
    double latencyMs = 0;
    [[nodiscard]] bool ok() const { return error == ReadingError::None; }
};

/// @brief A source of numbers: simulated, this machine, an instrument, or an HTTP JSON API.
///
/// read() is awaitable and honours its stop token; it yields the value or throws SensorError.
/// Sensors that hold a connection open it on first read and release it in close(), which the
/// owner always awaits (the `async with` of asyncio).
class Sensor {
public:
    Sensor(QString id, QString name, QString unit, SensorKind kind)
        : m_id(std::move(id))
        , m_name(std::move(name))
        , m_unit(std::move(unit))
        , m_kind(kind) {}
    Sensor(const Sensor &) = delete;
    Sensor &operator=(const Sensor &) = delete;
    virtual ~Sensor() = default;

    [[nodiscard]] virtual QCoro::Task<double> read(std::stop_token token) = 0;
    /// Releases whatever the sensor holds. Safe to call more than once.
    [[nodiscard]] virtual QCoro::Task<> close() { co_return; }

    [[nodiscard]] const QString &id() const { return m_id; }
    [[nodiscard]] const QString &name() const { return m_name; }
    [[nodiscard]] const QString &unit() const { return m_unit; }
    [[nodiscard]] SensorKind kind() const { return m_kind; }

    [[nodiscard]] std::chrono::milliseconds interval() const { return m_interval; }
    void setInterval(std::chrono::milliseconds interval) { m_interval = interval; }
    [[nodiscard]] std::chrono::milliseconds timeout() const { return m_timeout; }
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

private:
    QString m_id;
    QString m_name;
    QString m_unit;
    SensorKind m_kind;
    std::chrono::milliseconds m_interval{500};
    std::chrono::milliseconds m_timeout{2000};
};

} // namespace vigil::sensors
