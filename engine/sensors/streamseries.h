// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sensor.h"

#include <memory>

namespace vigil::sensors {

/// @brief How a stream source stands, shared by its series for the status table to show.
struct StreamStatus {
    QString state; ///< "connected", "reconnecting #3 (Connection refused)", …
    bool connected = false;
    double messagesPerSecond = 0;
};

/// @brief A series that a stream source pushes into the hub (SensorHub::addStream): one topic's
/// field of an MQTT subscription. Nobody polls it; read() is there for the interface only.
class StreamSeries final : public Sensor {
public:
    StreamSeries(QString id, QString name, QString unit, QString sourceId,
                 std::shared_ptr<const StreamStatus> status)
        : Sensor(std::move(id), std::move(name), std::move(unit), SensorKind::Stream)
        , m_sourceId(std::move(sourceId))
        , m_status(std::move(status)) {}

    [[nodiscard]] QCoro::Task<double> read(std::stop_token) override {
        throw SensorError(ReadingError::Unavailable, QStringLiteral("a stream series is pushed"));
        co_return 0.0;
    }
    /// The id of the source (its dashboard entry) that feeds this series.
    [[nodiscard]] const QString &sourceId() const { return m_sourceId; }
    /// The source's connection state and message rate, as it updates them.
    [[nodiscard]] const StreamStatus &status() const { return *m_status; }

private:
    QString m_sourceId;
    std::shared_ptr<const StreamStatus> m_status;
};

} // namespace vigil::sensors
