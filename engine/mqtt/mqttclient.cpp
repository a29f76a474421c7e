// SPDX-License-Identifier: Apache-2.0
#include "mqttclient.h"

#include "async/retrypolicy.h"
#include "async/sleep.h"
#include "util/logging.h"

#include <QCoroFuture>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <mosquitto.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>
#include <mutex>

namespace vigil::mqtt {

namespace {
/// Connects run here: libmosquitto resolves names synchronously inside them.
QThreadPool &connectPool() {
    static QThreadPool pool;
    static std::once_flag once;
    std::call_once(once, [] {
        pool.setMaxThreadCount(4);
        pool.setObjectName(QStringLiteral("vigil-mqtt-connect"));
    });
    return pool;
}

/// How many packets one readable-socket wake-up reads before the event loop has its turn.
constexpr int kReadBudget = 2000;

/// Removes a clock timer when the wait that armed it ends, however it ends.
struct TimerGuard {
    async::Clock &clock;
    async::Clock::TimerId id;
    ~TimerGuard() { clock.cancel(id); }
};
} // namespace

struct Callbacks {
    static void connect(mosquitto *, void *self, int rc, int /*flags*/) {
        static_cast<MqttClient *>(self)->handleConnect(rc);
    }
    static void disconnect(mosquitto *, void *self, int rc) {
        static_cast<MqttClient *>(self)->handleDisconnect(rc);
    }
    static void message(mosquitto *, void *self, const mosquitto_message *m) {
        static_cast<MqttClient *>(self)->handleMessage(*m);
    }
    static void published(mosquitto *, void *self, int /*mid*/) {
        static_cast<MqttClient *>(self)->handlePublished();
    }
    static void log(mosquitto *, void *self, int level, const char *text) {
        static_cast<MqttClient *>(self)->handleLog(level, text);
    }
};

MqttClient::MqttClient(async::Clock &clock, Options options, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_options(std::move(options)) {
    static std::once_flag libraryReady;
    std::call_once(libraryReady, [] { mosquitto_lib_init(); });
    const QByteArray id = m_options.clientId.toUtf8();
    // A fixed client id asks for a persistent session: the broker keeps QoS 1 messages for it.
    m_mosq = mosquitto_new(id.isEmpty() ? nullptr : id.constData(), id.isEmpty(), this);
    m_misc.setInterval(1000);
    connect(&m_misc, &QTimer::timeout, this, [this] {
        if (!m_readNotifier)
            return;
        mosquitto_loop_misc(m_mosq); // may end the session through on_disconnect
        updateWriteNotifier();
    });
    configure();
}

MqttClient::~MqttClient() {
    Q_ASSERT_X(m_tasks.running() == 0, "MqttClient", "destroyed without stop()");
    dropSocket();
    if (m_mosq)
        mosquitto_destroy(m_mosq); // closes the socket
}

void MqttClient::configure() {
    if (!m_mosq)
        return;
    mosquitto_int_option(m_mosq, MOSQ_OPT_PROTOCOL_VERSION,
                         m_options.protocol == 5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
    mosquitto_connect_with_flags_callback_set(m_mosq, &Callbacks::connect);
    mosquitto_disconnect_callback_set(m_mosq, &Callbacks::disconnect);
    mosquitto_message_callback_set(m_mosq, &Callbacks::message);
    mosquitto_log_callback_set(m_mosq, &Callbacks::log);
    mosquitto_publish_callback_set(m_mosq, &Callbacks::published);
    mosquitto_max_inflight_messages_set(m_mosq, unsigned(m_options.maxInflight));
    if (!m_options.username.isEmpty()) {
        const QByteArray user = m_options.username.toUtf8();
        const QByteArray password = m_options.password.toUtf8();
        mosquitto_username_pw_set(m_mosq, user.constData(),
                                  m_options.password.isEmpty() ? nullptr : password.constData());
    }
    if (m_options.address.tls) {
        const QByteArray ca = m_options.caFile.toLocal8Bit();
        const QByteArray cert = m_options.certFile.toLocal8Bit();
        const QByteArray key = m_options.keyFile.toLocal8Bit();
        // Without a CA file, the system's CAs (tls_set refuses neither file nor directory).
        const int rc = mosquitto_tls_set(m_mosq, ca.isEmpty() ? nullptr : ca.constData(),
                                         ca.isEmpty() ? "/etc/ssl/certs" : nullptr,
                                         cert.isEmpty() ? nullptr : cert.constData(),
                                         key.isEmpty() ? nullptr : key.constData(), nullptr);
        if (rc != MOSQ_ERR_SUCCESS) // it stored nothing: connecting would go out in plain text
            m_configError =
                tr("TLS: cannot read %1")
                    .arg(QStringList{m_options.caFile, m_options.certFile, m_options.keyFile}
                             .filter(QRegularExpression(QStringLiteral(".")))
                             .join(QStringLiteral(", ")));
        mosquitto_tls_insecure_set(m_mosq, false); // the host name is always verified
    }
}

void MqttClient::start() {
    if (!m_configError.isEmpty()) {
        m_lastError = m_configError; // never connects: a fix of the files needs a new source
        qCWarning(lcMqtt).noquote() << m_options.address.hostPort() << m_configError;
        Q_EMIT stateChanged();
        return;
    }
    if (m_tasks.running() == 0 && !m_tasks.isClosed())
        m_tasks.spawn(run(m_tasks.token()));
}

QCoro::Task<> MqttClient::stop() {
    auto closing = m_tasks.close(); // a connect in flight finishes first: it cannot be cut short
    co_await closing;
    if (m_sessionUp && !m_sessionOver) {
        m_sessionOver = true; // on_disconnect(0) follows: no reconnect, no error
        mosquitto_disconnect(m_mosq);
        mosquitto_loop_write(m_mosq, 1);
    }
    dropSocket();
    m_misc.stop();
    setState(State::Idle);
}

QCoro::Task<> MqttClient::run(std::stop_token token) {
    while (true) {
        setState(m_everConnected || m_failures > 0 ? State::Reconnecting : State::Connecting);
        const bool held = co_await attemptSession(token);
        if (held)
            m_failures = 0; // a connection that held starts the backoff from the beginning
        ++m_failures;
        m_state = State::Reconnecting;
        Q_EMIT stateChanged(); // even when it was already: the attempt number and error changed
        qCInfo(lcMqtt).noquote() << m_options.address.hostPort() << "attempt" << m_failures
                                 << "ended:" << m_lastError;
        async::RetryPolicy backoff;
        backoff.baseDelay = std::chrono::milliseconds(500);
        backoff.maxDelay = std::chrono::seconds(30);
        const auto cap = backoff.backoffCap(m_failures);
        // Half fixed, half jitter: a fleet of clients does not come back in step, and none
        // hammers the broker with a near-zero wait.
        const double unit = QRandomGenerator::global()->generateDouble();
        const auto delay =
            std::chrono::duration_cast<async::Clock::Duration>(cap * (0.5 + unit / 2));
        co_await async::sleepFor(m_clock, delay, token);
    }
}

QCoro::Task<bool> MqttClient::attemptSession(std::stop_token token) {
    m_sessionUp = false;
    m_sessionOver = false;
    m_lastLogError.clear();
    const auto [rc, savedErrno] = co_await connectOffThread();
    if (rc != MOSQ_ERR_SUCCESS) {
        m_lastError = describeError(rc, savedErrno);
        co_return false;
    }
    async::throwIfCancelled(token);
    watchSocket();
    const TimerGuard deadline{
        m_clock, m_clock.callAfter(kConnectTimeout, [this] {
            if (!m_sessionUp)
                connectionLost(
                    tr("no answer from the broker in %1 s").arg(kConnectTimeout.count()));
        })};
    while (!m_sessionOver)
        co_await m_sessionChanged.wait(token);
    co_return m_sessionUp;
}

QCoro::Task<std::pair<int, int>> MqttClient::connectOffThread() {
    dropSocket(); // a reconnect closes the old socket: nothing may watch it then
    m_misc.stop();
    const QByteArray host = m_options.address.host.toUtf8();
    const int port = m_options.address.port;
    const int keepalive = m_options.keepaliveS;
    mosquitto *mosq = m_mosq;
    auto work = [mosq, host, port, keepalive] {
        errno = 0;
        // connect, not reconnect, every time: it also works after a first attempt that failed
        // before the handle knew its host; the session (client id, queued messages) is kept.
        const int rc = mosquitto_connect_async(mosq, host.constData(), port, keepalive);
        const int savedErrno = errno;
        // OpenSSL keeps per-thread state (error queue, random generator) for this pool thread;
        // the thread may outlive OpenSSL's own cleanup at exit, so it is freed here.
        OPENSSL_thread_stop();
        return std::pair<int, int>{rc, savedErrno};
    };
    QFuture<std::pair<int, int>> future = QtConcurrent::run(&connectPool(), work);
    co_return co_await future; // never cancelled: QCoro 0.8 crashes on that
}

void MqttClient::watchSocket() {
    const int fd = mosquitto_socket(m_mosq);
    if (fd < 0) {
        connectionLost(tr("the connection closed at once"));
        return;
    }
    m_readNotifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &MqttClient::readSocket);
    m_writeNotifier = new QSocketNotifier(fd, QSocketNotifier::Write, this);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &MqttClient::writeSocket);
    updateWriteNotifier();
    m_misc.start();
}

void MqttClient::dropSocket() {
    // Called from inside the notifiers' own signals (on_disconnect during a read): disabled now,
    // deleted once the signal has returned.
    for (QSocketNotifier *n : {m_readNotifier.data(), m_writeNotifier.data()}) {
        if (n) {
            n->setEnabled(false);
            n->deleteLater();
        }
    }
    m_readNotifier.clear();
    m_writeNotifier.clear();
}

namespace {
/// The TLS session while its handshake runs; nullptr for plain MQTT or once it is done.
SSL *handshaking(mosquitto *mosq) {
    auto *ssl = static_cast<SSL *>(mosquitto_ssl_get(mosq));
    return ssl && !SSL_is_init_finished(ssl) ? ssl : nullptr;
}
} // namespace

void MqttClient::readSocket() {
    for (int i = 0; i < kReadBudget && m_readNotifier; ++i) {
        errno = 0;
        const int rc = mosquitto_loop_read(m_mosq, 1);
        const int savedErrno = errno;
        if (rc != MOSQ_ERR_SUCCESS) {
            connectionLost(describeError(rc, savedErrno)); // if on_disconnect did not already
            return;
        }
        const bool drained = savedErrno == EAGAIN || savedErrno == EWOULDBLOCK;
        if (!drained && handshaking(m_mosq)) {
            // libmosquitto keeps a handshake whose socket failed (SSL_ERROR_SYSCALL) waiting
            // with the socket open: the notifier would fire for ever.
            connectionLost(savedErrno ? QString::fromLocal8Bit(std::strerror(savedErrno))
                                      : tr("the broker closed the connection during the TLS "
                                           "handshake"));
            return;
        }
        if (drained || handshaking(m_mosq))
            break; // drained; with TLS, loop_read has also read what OpenSSL held back
    }
    updateWriteNotifier();
}

void MqttClient::writeSocket() {
    errno = 0;
    // During a TLS handshake loop_write does nothing (packet__write waits for it); only
    // loop_read drives the handshake on, so a writable socket must go there.
    const int rc =
        handshaking(m_mosq) ? mosquitto_loop_read(m_mosq, 1) : mosquitto_loop_write(m_mosq, 1);
    if (rc != MOSQ_ERR_SUCCESS) {
        connectionLost(describeError(rc, errno));
        return;
    }
    updateWriteNotifier();
}

void MqttClient::updateWriteNotifier() {
    if (!m_writeNotifier)
        return;
    // libmosquitto's want_write stays set through a handshake that waited to write: only
    // OpenSSL knows whether it still does.
    SSL *ssl = handshaking(m_mosq);
    m_writeNotifier->setEnabled(ssl ? SSL_want_write(ssl) : mosquitto_want_write(m_mosq));
}

void MqttClient::connectionLost(const QString &why) {
    if (!m_sessionOver) {
        m_sessionOver = true;
        m_lastError = why;
    }
    dropSocket();
    m_misc.stop();
    m_sessionChanged.notifyAll();
}

void MqttClient::handleConnect(int reasonCode) {
    if (reasonCode != 0) {
        // The socket closes next (on_disconnect); this says why.
        const char *why = m_options.protocol == 5 ? mosquitto_reason_string(reasonCode)
                                                  : mosquitto_connack_string(reasonCode);
        connectionLost(tr("the broker refused the connection: %1").arg(QString::fromUtf8(why)));
        return;
    }
    m_sessionUp = true;
    m_everConnected = true;
    m_lastError.clear();
    if (!m_options.topic.isEmpty()) {
        const QByteArray topic = m_options.topic.toUtf8();
        mosquitto_subscribe(m_mosq, nullptr, topic.constData(), m_options.qos);
        updateWriteNotifier();
    }
    setState(State::Connected);
    qCInfo(lcMqtt).noquote() << m_options.address.hostPort() << "connected";
}

void MqttClient::handleDisconnect(int rc) {
    connectionLost(rc == MOSQ_ERR_SUCCESS ? tr("disconnected") : describeError(rc, errno));
}

void MqttClient::handleMessage(const mosquitto_message &message) {
    Q_EMIT this->message(QString::fromUtf8(message.topic),
                         QByteArray(static_cast<const char *>(message.payload), message.payloadlen),
                         message.retain);
}

void MqttClient::handleLog(int level, const char *text) {
    if (level & MOSQ_LOG_ERR) {
        m_lastLogError += QString::fromUtf8(text) + u'\n';
        qCDebug(lcMqtt).noquote() << m_options.address.hostPort() << text;
    }
}

bool MqttClient::publish(const QString &topic, const QByteArray &payload, int qos, bool retain) {
    if (m_state != State::Connected || !m_readNotifier)
        return false;
    const QByteArray t = topic.toUtf8();
    const int rc = mosquitto_publish(m_mosq, nullptr, t.constData(), int(payload.size()),
                                     payload.constData(), qos, retain);
    updateWriteNotifier();
    return rc == MOSQ_ERR_SUCCESS;
}

bool MqttClient::hasPendingWrites() const {
    return m_readNotifier && mosquitto_want_write(m_mosq);
}

void MqttClient::setState(State state) {
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged();
}

} // namespace vigil::mqtt
