// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoroTask>
#include <QString>

namespace vigil::bench {

/// @brief `vigil bench mqtt` settings: @c topics load topics at @c rateHz each (0: as fast as
/// the publisher goes) for @c seconds, at @c qos.
struct MqttBenchOptions {
    int topics = 1000;
    double rateHz = 20;
    double seconds = 20;
    int qos = 1;
    QString vigilBinary; ///< runs `serve-demo --mqtt` as the publisher
};

/// @brief What one run measured: Vigil's engine and mosquitto_sub on the same stream.
struct MqttBenchResult {
    int topics = 0;
    qint64 published = 0;
    qint64 received = 0;    ///< by Vigil's engine
    qint64 subReceived = 0; ///< by mosquitto_sub
    double seconds = 0;     ///< from the first message Vigil received to the last
    double cpuS = 0;        ///< this process, all threads, while the stream ran and drained
    double subCpuS = 0;     ///< mosquitto_sub's, over the same time
    double loopLagP99Ms = 0;
    /// `bench-mqtt topics=… published=… received=… lost=… msg_per_s=… cpu_us_per_msg=…
    /// mosquitto_sub_cpu_us_per_msg=… cpu_ratio=… loop_lag_p99_ms=… mosquitto_sub_received=…
    /// mosquitto_sub_msg_per_s=…`
    [[nodiscard]] QString summaryLine() const;
};

/// Starts a private mosquitto, mosquitto_sub and Vigil's publisher in other processes, and
/// subscribes with Vigil's MQTT engine (an MqttSource feeding a SensorHub) in this one. Throws
/// std::runtime_error when a peer is missing or does not start.
[[nodiscard]] QCoro::Task<MqttBenchResult> runMqttBench(MqttBenchOptions options);

} // namespace vigil::bench
