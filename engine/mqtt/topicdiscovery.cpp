// SPDX-License-Identifier: Apache-2.0
#include "topicdiscovery.h"

#include "mqttclient.h"

#include "async/sleep.h"
#include "async/unlesscancelled.h"

#include <QHash>

#include <algorithm>
#include <optional>

namespace vigil::mqtt {

QCoro::Task<Discovery> discoverTopics(async::Clock &clock, MqttSpec spec,
                                      std::chrono::milliseconds duration, std::stop_token token) {
    using namespace std::chrono_literals;
    auto options = MqttClient::optionsFor(spec);
    options.clientId.clear(); // never the source's persistent session: it would steal its queue
    options.qos = 0;
    MqttClient client(clock, options);
    QHash<QString, TopicSeen> seen;
    std::optional<async::Clock::TimePoint> subscribed; // rates count from here
    QObject::connect(&client, &MqttClient::stateChanged, &client, [&] {
        if (!subscribed && client.state() == MqttClient::State::Connected)
            subscribed = clock.now();
    });
    QObject::connect(&client, &MqttClient::message, &client,
                     [&](const QString &topic, const QByteArray &payload, bool retained) {
                         if (seen.size() >= kMaxDiscoveredTopics && !seen.contains(topic))
                             return; // a '#' on a busy broker: the first ones are enough
                         TopicSeen &t = seen[topic];
                         t.topic = topic;
                         if (t.messages == 0)
                             t.retained = retained;
                         ++t.messages;
                         t.lastPayload = payload.left(200);
                     });
    client.start();
    auto listening = async::sleepFor(clock, duration, token);
    const bool cancelled = !co_await async::unlessCancelled(listening); // the client stops first
    const auto end = clock.now();
    Discovery d;
    if (seen.isEmpty() && client.state() != MqttClient::State::Connected)
        d.error = client.stateText();
    auto stopping = client.stop();
    co_await stopping;
    const double seconds =
        subscribed ? std::chrono::duration<double>(end - *subscribed).count() : 0;
    for (auto t : std::as_const(seen)) {
        t.perSecond = seconds > 0 ? double(t.messages - (t.retained ? 1 : 0)) / seconds : 0;
        d.topics << t;
    }
    std::sort(d.topics.begin(), d.topics.end(),
              [](const auto &a, const auto &b) { return a.topic < b.topic; });
    if (cancelled)
        throw async::Cancelled();
    co_return d;
}

} // namespace vigil::mqtt
