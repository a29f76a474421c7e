// SPDX-License-Identifier: Apache-2.0
#include "topicdiscovery.h"

#include "mqttclient.h"

#include "async/sleep.h"

#include <QHash>

#include <algorithm>

namespace vigil::mqtt {

QCoro::Task<Discovery> discoverTopics(async::Clock &clock, MqttSpec spec,
                                      std::chrono::milliseconds duration, std::stop_token token) {
    using namespace std::chrono_literals;
    auto options = MqttClient::optionsFor(spec);
    options.clientId.clear(); // never the source's persistent session: it would steal its queue
    options.qos = 0;
    MqttClient client(clock, options);
    QHash<QString, TopicSeen> seen;
    async::Clock::TimePoint firstMessage{};
    QObject::connect(&client, &MqttClient::message, &client,
                     [&](const QString &topic, const QByteArray &payload, bool retained) {
                         TopicSeen &t = seen[topic];
                         t.topic = topic;
                         if (t.messages == 0)
                             t.retained = retained;
                         ++t.messages;
                         t.lastPayload = payload.left(200);
                         if (firstMessage == async::Clock::TimePoint{})
                             firstMessage = clock.now();
                     });
    client.start();
    const auto until = clock.now() + duration;
    bool cancelled = false;
    try {
        while (clock.now() < until)
            co_await async::sleepFor(clock, 100ms, token);
    } catch (const async::Cancelled &) {
        cancelled = true; // a handler may not co_await: the client stops below
    }
    Discovery d;
    if (seen.isEmpty() && client.state() != MqttClient::State::Connected)
        d.error = client.stateText();
    auto stopping = client.stop();
    co_await stopping;
    const double seconds = std::chrono::duration<double>(clock.now() - firstMessage).count();
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
