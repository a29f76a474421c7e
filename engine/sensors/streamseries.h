// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sensor.h"

namespace vigil::sensors {

/// @brief A series that a stream source pushes into the hub (SensorHub::addStream): one topic's
/// field of an MQTT subscription. Nobody polls it; read() is there for the interface only.
class StreamSeries final : public Sensor {
public:
    StreamSeries(QString id, QString name, QString unit, QString sourceId)
        : Sensor(std::move(id), std::move(name), std::move(unit), SensorKind::Stream)
        , m_sourceId(std::move(sourceId)) {}

    [[nodiscard]] QCoro::Task<double> read(std::stop_token) override {
        throw SensorError(ReadingError::Unavailable, QStringLiteral("a stream series is pushed"));
        co_return 0.0;
    }
    /// The id of the source (its dashboard entry) that feeds this series.
    [[nodiscard]] const QString &sourceId() const { return m_sourceId; }

private:
    QString m_sourceId;
};

} // namespace vigil::sensors
