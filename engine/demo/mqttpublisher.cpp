// SPDX-License-Identifier: Apache-2.0
#include "mqttpublisher.h"

#include "dashboard/dashboardconfig.h"

#include "async/sleep.h"
#include "sensors/meanrevertingwalk.h"
#include "sensors/simulatedsensor.h"

#include <cmath>
#include <random>

namespace vigil::demo {

namespace {
constexpr auto kPlantTick = std::chrono::milliseconds(100); // 10 Hz; vibration in batches of 100
constexpr int kVibrationPerTick = 100;                      // 1 kHz

QByteArray number(double v) {
    return QByteArray::number(v, 'f', 3);
}
} // namespace

/// The simulated plant: the four process sensors, three pumps and a vibration channel.
struct MqttDemoPublisher::Plant {
    QList<sensors::SimulatedSpec> specs = sensors::processSensorSpecs();
    std::vector<sensors::MeanRevertingWalk> process;
    std::vector<sensors::MeanRevertingWalk> pumps;
    std::mt19937 rng{7};
    std::normal_distribution<double> noise{0, 0.05};
    qint64 vibrationMs = 0; // the next vibration sample's time: 1 kHz without gaps or overlaps
    Plant() {
        for (const auto &s : specs)
            process.emplace_back(s.setpoint, s.sigma, 0.1, s.seed);
        for (int i = 0; i < 3; ++i)
            pumps.emplace_back(1450 + 50 * i, 8, 0.1, 100 + i);
    }
};

MqttDemoPublisher::MqttDemoPublisher(async::Clock &clock, mqtt::BrokerAddress broker,
                                     PublishPlan plan, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_plan(plan)
    , m_plant(std::make_unique<Plant>()) {
    mqtt::MqttClient::Options o;
    o.address = std::move(broker);
    o.maxInflight = 200; // enough to fill a loopback round trip at 20,000 msg/s
    m_client = std::make_unique<mqtt::MqttClient>(clock, o);
}

MqttDemoPublisher::~MqttDemoPublisher() = default;

void MqttDemoPublisher::start() {
    m_client->start();
    if (m_tasks.running() == 0 && !m_tasks.isClosed())
        m_tasks.spawn(run(m_tasks.token()));
}

QCoro::Task<> MqttDemoPublisher::stop() {
    auto running = m_tasks.close();
    co_await running;
    auto disconnecting = m_client->stop();
    co_await disconnecting;
}

bool MqttDemoPublisher::publish(const QString &topic, const QByteArray &payload) {
    if (!m_client->publish(topic, payload, m_plan.qos, false))
        return false;
    ++m_published;
    return true;
}

void MqttDemoPublisher::publishPlant(qint64 nowMs) {
    Plant &p = *m_plant;
    for (qsizetype i = 0; i < p.specs.size(); ++i)
        publish(QStringLiteral("plant/process/%1").arg(p.specs[i].name),
                "{\"value\":" + number(p.process[std::size_t(i)].next()) +
                    ",\"ts\":" + QByteArray::number(nowMs) + '}');
    for (std::size_t i = 0; i < p.pumps.size(); ++i) {
        const double rpm = p.pumps[i].next();
        publish(QStringLiteral("plant/pumps/pump%1").arg(i + 1),
                "{\"rpm\":" + number(rpm) + ",\"current_a\":" + number(rpm / 120) +
                    ",\"ts\":" + QByteArray::number(nowMs) + '}');
    }
    QByteArray batch = "[";
    if (p.vibrationMs == 0)
        p.vibrationMs = nowMs - kVibrationPerTick + 1;
    for (int k = 0; k < kVibrationPerTick; ++k) {
        const qint64 t = p.vibrationMs++;
        const double g = 0.8 * std::sin(2 * M_PI * 50 * double(t) / 1000) + p.noise(p.rng);
        batch += (k ? "," : "") + QByteArray("{\"g\":") + number(g) +
                 ",\"ts\":" + QByteArray::number(t) + '}';
    }
    publish(QStringLiteral("plant/vibration"), batch + ']');
}

qint64 MqttDemoPublisher::publishLoad(qint64 due, qint64 nowMs) {
    const QByteArray ts = QByteArray::number(nowMs);
    for (qint64 i = 0; i < due; ++i) {
        const qint64 seq = m_published;
        if (!publish(QStringLiteral("load/%1").arg(seq % m_plan.topics),
                     "{\"v\":" + QByteArray::number(seq) + ",\"ts\":" + ts + '}'))
            return due - i; // the connection is down: the rest is not sent at all
    }
    return 0;
}

QCoro::Task<> MqttDemoPublisher::run(std::stop_token token) {
    using namespace std::chrono_literals;
    const auto connectBy = m_clock.now() + mqtt::MqttClient::kConnectTimeout;
    while (m_client->state() != mqtt::MqttClient::State::Connected) {
        if (m_clock.now() > connectBy) {
            m_error = m_client->stateText();
            Q_EMIT finished();
            co_return;
        }
        co_await async::sleepFor(m_clock, 20ms, token);
    }
    const auto start = m_clock.now();
    const auto elapsedS = [&] {
        return std::chrono::duration<double>(m_clock.now() - start).count();
    };
    qint64 tick = 0;
    qint64 missed = 0; // due while the broker was away: skipped, never sent in a burst later
    while (m_plan.seconds <= 0 || elapsedS() < m_plan.seconds) {
        const qint64 nowMs = m_clock.wallNow().toMSecsSinceEpoch();
        if (m_plan.topics == 0) {
            publishPlant(nowMs);
            ++tick;
            co_await async::sleepUntil(m_clock, start + tick * kPlantTick, token);
        } else if (m_plan.rateHz <= 0) {
            // As fast as the broker takes them: a bounded backlog, never a growing queue.
            if (m_published - m_client->acknowledged() < 2000)
                publishLoad(500, nowMs);
            co_await async::sleepFor(m_clock, 1ms, token);
        } else {
            const auto target = qint64(elapsedS() * m_plan.rateHz * m_plan.topics) - missed;
            missed += publishLoad(target - m_published, nowMs);
            co_await async::sleepFor(m_clock, 5ms, token);
        }
    }
    if (m_plan.topics > 0 && m_plan.rateHz > 0 && m_plan.seconds > 0) {
        // The plan in full, however late the last tick came: seconds x rate x topics.
        const auto planned = qint64(m_plan.seconds * m_plan.rateHz * m_plan.topics) - missed;
        publishLoad(planned - m_published, m_clock.wallNow().toMSecsSinceEpoch());
    }
    // Until the broker has taken all of it (QoS 1: PUBACKed), for up to 60 s.
    for (int i = 0; i < 12000 && m_client->acknowledged() < m_published; ++i)
        co_await async::sleepFor(m_clock, 5ms, token);
    Q_EMIT finished();
}

dashboard::DashboardConfig mqttPlantDashboard(const QString &brokerUrl) {
    dashboard::DashboardConfig c;
    const auto source = [&brokerUrl](const QString &topic, const QString &pattern,
                                     const QString &unit, const QList<mqtt::Field> &fields) {
        dashboard::SensorConfig s;
        s.type = QStringLiteral("mqtt");
        s.name = pattern;
        s.unit = unit;
        s.mqtt.broker = brokerUrl;
        s.mqtt.topic = topic;
        s.mqtt.namePattern = pattern;
        s.mqtt.fields = fields;
        s.mqtt.timestampPointer = QStringLiteral("/ts");
        s.mqtt.expectedIntervalMs = 1000;
        s.mqtt.qos = 1;
        return s;
    };
    c.sensors << source(QStringLiteral("plant/process/+"), QStringLiteral("{3}"), {},
                        {{QStringLiteral("value"), QStringLiteral("/value")}})
              << source(QStringLiteral("plant/pumps/+"), QStringLiteral("{3} {field}"), {},
                        {{QStringLiteral("rpm"), QStringLiteral("/rpm")},
                         {QStringLiteral("current_a"), QStringLiteral("/current_a")}})
              << source(QStringLiteral("plant/vibration"), QStringLiteral("vibration"),
                        QStringLiteral("g"), {{QStringLiteral("g"), QStringLiteral("/g")}});
    c.charts.clear(); // each source's series share a chart as they appear
    return c;
}

} // namespace vigil::demo
