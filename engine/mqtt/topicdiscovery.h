// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mqttspec.h"

#include "async/clock.h"

#include <QCoroTask>
#include <QList>

#include <chrono>
#include <stop_token>

namespace vigil::mqtt {

/// @brief A topic seen while discovering: how many messages, how fast, and the last payload.
struct TopicSeen {
    QString topic;
    qint64 messages = 0;
    double perSecond = 0;
    bool retained = false; ///< its first message was a retained one (not counted in the rate)
    QByteArray lastPayload;
};

/// @brief What a discovery found, or why it found nothing.
struct Discovery {
    QList<TopicSeen> topics; ///< sorted by topic
    QString error;           ///< set when the broker could not be reached or refused
};

/// The most topics one discovery lists.
inline constexpr qsizetype kMaxDiscoveredTopics = 500;

/// Subscribes to @p spec's filter for @p duration and lists every topic that sent, with its
/// message rate: what the Add dialog offers to pick from. Stops early (and still disconnects)
/// when @p token stops; the result then holds what was seen so far.
[[nodiscard]] QCoro::Task<Discovery> discoverTopics(async::Clock &clock, MqttSpec spec,
                                                    std::chrono::milliseconds duration,
                                                    std::stop_token token);

} // namespace vigil::mqtt
