// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mqttspec.h"

#include "async/clock.h"
#include "async/notifier.h"
#include "async/taskscope.h"

#include <QCoroTask>
#include <QObject>
#include <QPointer>
#include <QSocketNotifier>
#include <QTimer>

struct mosquitto;
struct mosquitto_message;

namespace vigil::mqtt {

/// @brief One MQTT connection on the GUI thread's event loop: libmosquitto driven through
/// QSocketNotifier, with no thread of its own, that reconnects by itself.
///
/// libmosquitto 2.0.11's traps, and what this does about them: its connect resolves the host
/// synchronously, so every (re)connect runs on a helper thread while nothing else touches the
/// handle; loop_read/loop_write close the socket before on_disconnect, so the notifiers go in
/// on_disconnect; the write notifier is on only while mosquitto_want_write(); loop_misc runs on a
/// timer for the keepalive; every reconnect has a new socket, so the notifiers are made anew.
///
/// After a lost connection it waits (exponential backoff with jitter, 0.5 s doubling to 30 s),
/// reconnects and subscribes again. The password is held here only, and never logged.
class MqttClient : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Connected, Reconnecting };
    Q_ENUM(State)

    struct Options {
        BrokerAddress address;
        QString clientId; ///< empty: a random id and a clean session
        QString username;
        QString password;
        QString caFile, certFile, keyFile;
        int protocol = 4;
        int keepaliveS = 30;
        QString topic; ///< subscribed after every connect; empty: publish only
        int qos = 0;
        /// QoS 1 messages awaiting their PUBACK. libmosquitto 2.0 walks its whole out-queue on
        /// every publish while this allows more: 0 (no limit) turns quadratic once the broker
        /// lags.
        int maxInflight = 20;
    };

    /// What a source with @p spec connects with: broker, session, credentials, TLS, its filter.
    [[nodiscard]] static Options optionsFor(const MqttSpec &spec);

    MqttClient(async::Clock &clock, Options options, QObject *parent = nullptr);
    /// Asserts that stop() ran, or that start() never did.
    ~MqttClient() override;

    /// Connects, and keeps connecting until stop().
    void start();
    /// Disconnects politely and waits until no connect is in flight. Await before destruction.
    [[nodiscard]] QCoro::Task<> stop();

    /// Queues a message; false (and why in lastError()) when it cannot be queued, e.g. while
    /// disconnected.
    bool publish(const QString &topic, const QByteArray &payload, int qos, bool retain);

    /// Whether queued packets wait for the socket (a publisher that must not outrun it).
    [[nodiscard]] bool hasPendingWrites() const;
    /// Messages the broker has taken: PUBACKed at QoS 1, written at QoS 0.
    [[nodiscard]] qint64 acknowledged() const { return m_acknowledged; }
    [[nodiscard]] State state() const { return m_state; }
    /// Failed attempts since the last connection that held.
    [[nodiscard]] int attempt() const { return m_failures; }
    /// Why the last attempt or connection ended, in words an operator can act on.
    [[nodiscard]] const QString &lastError() const { return m_lastError; }
    /// "connected", "reconnecting #3 (Connection refused)", …
    [[nodiscard]] QString stateText() const;
    [[nodiscard]] const Options &options() const { return m_options; }
    /// The attempt's wait for a CONNACK before it counts as failed.
    static constexpr std::chrono::seconds kConnectTimeout{10};

Q_SIGNALS:
    void stateChanged();
    /// A message arrived; @p retained: the broker kept it from before the subscription.
    void message(const QString &topic, const QByteArray &payload, bool retained);

private:
    friend struct Callbacks; // libmosquitto's C callbacks, which call the handlers below
    void handleConnect(int reasonCode);
    void handleDisconnect(int rc);
    void handleMessage(const mosquitto_message &message);
    void handleLog(int level, const char *text);
    void handlePublished() { ++m_acknowledged; }

    QCoro::Task<> run(std::stop_token token);
    QCoro::Task<bool> attemptSession(std::stop_token token);
    /// libmosquitto's result and the errno that goes with it.
    QCoro::Task<std::pair<int, int>> connectOffThread();
    void configure();
    void watchSocket();
    void dropSocket();
    void readSocket();
    void writeSocket();
    void updateWriteNotifier();
    void connectionLost(const QString &why);
    void setState(State state);
    QString describeError(int rc, int savedErrno) const;

    async::Clock &m_clock;
    Options m_options;
    mosquitto *m_mosq = nullptr;
    QPointer<QSocketNotifier> m_readNotifier;
    QPointer<QSocketNotifier> m_writeNotifier;
    QTimer m_misc; // loop_misc: keepalive pings
    State m_state = State::Idle;
    int m_failures = 0;
    qint64 m_acknowledged = 0;
    bool m_everConnected = false;
    bool m_sessionUp = false;   // CONNACK accepted on this socket
    bool m_sessionOver = false; // this socket's session ended, or never began
    QString m_lastError;
    QString m_configError;  // set: the options cannot work (unreadable TLS files); never connects
    QString m_lastLogError; // libmosquitto's last error line (TLS details)
    async::Notifier m_sessionChanged;
    async::TaskScope m_tasks;
};

} // namespace vigil::mqtt
