// SPDX-License-Identifier: Apache-2.0
#include "http1reply.h"

#include "http1connectionpool.h"
#include "httptypes.h"

#include "util/logging.h"

#include <QSslSocket>

#include <limits>

namespace vigil::net {

namespace {
QNetworkAccessManager::Operation operationFor(const QByteArray &method) {
    if (method == "GET")
        return QNetworkAccessManager::GetOperation;
    if (method == "HEAD")
        return QNetworkAccessManager::HeadOperation;
    if (method == "POST")
        return QNetworkAccessManager::PostOperation;
    if (method == "PUT")
        return QNetworkAccessManager::PutOperation;
    if (method == "DELETE")
        return QNetworkAccessManager::DeleteOperation;
    return QNetworkAccessManager::CustomOperation;
}

bool idempotent(const QByteArray &method) {
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
           method == "OPTIONS";
}

QByteArray hostHeader(const QUrl &url) {
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']'; // an IPv6 literal
    if (url.port() != -1 && url.port() != defaultPort(url.scheme()))
        host += ':' + QByteArray::number(url.port());
    return host;
}

QByteArray requestTarget(const QUrl &url) {
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    return target;
}
} // namespace

Http1Reply::Http1Reply(Http1ConnectionPool &pool, const QNetworkRequest &request, QByteArray method,
                       QByteArray body, QObject *parent)
    : QNetworkReply(parent)
    , m_pool(pool)
    , m_method(std::move(method))
    , m_body(std::move(body))
    , m_target(request.url()) {
    setRequest(request);
    setUrl(request.url());
    setOperation(operationFor(m_method));
    QIODevice::open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    m_constructing = true;
    startExchange();
    m_constructing = false;
}

void Http1Reply::announceSent() {
    // Each exchange's own moment, a reconnect's too (its request leaves again); the signal
    // is said once per reply, now or when someone can hear it.
    m_marks.sent();
    if (std::exchange(m_sent, true))
        return;
    // On a kept-alive connection the request leaves inside the constructor, before anyone could
    // connect to the signal. Said then, it was lost, and the caller's connect deadline aborted
    // every download that outlived it (10 s) as "could not connect", and restarted it.
    if (m_constructing)
        QMetaObject::invokeMethod(this, &Http1Reply::requestSent, Qt::QueuedConnection);
    else
        Q_EMIT requestSent();
}

Http1Reply::~Http1Reply() {
    releaseSocket(false);
}

void Http1Reply::startExchange() {
    m_parser = std::make_unique<Http1ResponseParser>(m_method == "HEAD");
    m_receivedAny = false;
    m_announced = false;
    QTcpSocket *socket = m_pool.take(m_target, &m_reused);
    socket->setReadBufferSize(readBufferSize());
    m_socket = socket;
    auto *tls = qobject_cast<QSslSocket *>(socket);
    m_marks.connecting(m_reused, tls != nullptr);
    m_closeNotified = false;
    if (tls) {
        connect(tls, &QSslSocket::alertReceived, this,
                [this](QSsl::AlertLevel, QSsl::AlertType type, const QString &) {
                    m_closeNotified = m_closeNotified || type == QSsl::AlertType::CloseNotify;
                });
    }
    connect(m_socket, &QTcpSocket::readyRead, this, [this] { readSocket(false); });
    connect(m_socket, &QTcpSocket::errorOccurred, this, &Http1Reply::onSocketError);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this](qint64 written) {
        m_toWrite -= written;
        if (m_toWrite <= 0)
            announceSent();
    });
    if (m_reused) {
        writeRequest();
        return;
    }
    // Before connecting: a host given as an address is "found" inside connectToHost().
    connect(m_socket, &QTcpSocket::hostFound, this, [this] { m_marks.hostFound(); });
    connect(m_socket, &QTcpSocket::connected, this, [this, tls] {
        m_marks.connected();
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (!tls)
            writeRequest();
    });
    const auto port = quint16(m_target.port(defaultPort(m_target.scheme())));
    if (tls) {
        startTls(*tls);
        tls->connectToHostEncrypted(m_target.host(), port); // the host name is the name verified
    } else {
        // Unbuffered: reads go from the kernel straight into the reply's blocks. Qt's own socket
        // buffer copied every byte once more, and allocated (and faulted in) fresh chunks whenever
        // a verified download's hashing held the blocks: a third of that download's CPU.
        socket->connectToHost(m_target.host(), port, QIODevice::ReadWrite | QIODevice::Unbuffered);
    }
}

void Http1Reply::startTls(QSslSocket &socket) {
    QSslConfiguration config = request().sslConfiguration();
    config.setAllowedNextProtocols({QSslConfiguration::NextProtocolHttp1_1});
    socket.setSslConfiguration(config);
    connect(&socket, &QSslSocket::encrypted, this, &Http1Reply::writeRequest);
    // Never ignored: the handshake then fails with SslHandshakeFailedError (onSocketError). The
    // errors go on as Qt's own replies send them, so the failure names the first reason.
    connect(&socket, &QSslSocket::sslErrors, this,
            [this](const QList<QSslError> &errors) { Q_EMIT sslErrors(errors); });
}

void Http1Reply::writeRequest() {
    m_marks.writing();
    QByteArray head = m_method + ' ' + requestTarget(m_target) +
                      " HTTP/1.1\r\nHost: " + hostHeader(m_target) + "\r\n";
    const QNetworkRequest &r = request();
    for (const QByteArray &name : r.rawHeaderList())
        head += name + ": " + r.rawHeader(name) + "\r\n";
    if (!m_body.isEmpty() || m_method == "POST" || m_method == "PUT" || m_method == "PATCH")
        head += "Content-Length: " + QByteArray::number(m_body.size()) + "\r\n";
    head += "\r\n";
    m_toWrite = head.size() + m_body.size();
    m_socket->write(head);
    if (!m_body.isEmpty())
        m_socket->write(m_body);
    m_socket->flush();
    // An unbuffered socket says bytesWritten only for what it had to queue, not for what went
    // out at once: without this, the connect deadline would abort a long download as unsent.
    if (readsDirectly(*m_socket)) {
        // Nor does it say anything of a direct write that failed (a reset): ask as it would have,
        // after the constructor, where this may run, so that someone hears the outcome.
        if (!m_socket->isValid()) {
            QMetaObject::invokeMethod(this, &Http1Reply::onSocketError, Qt::QueuedConnection);
            return;
        }
        m_toWrite = m_socket->bytesToWrite();
        if (m_toWrite <= 0)
            announceSent();
    }
}

bool Http1Reply::takeParsed() {
    if (!m_parser->headersComplete())
        return true;
    if (!m_announced) {
        announce();
        if (m_finished)
            return false;
    }
    QByteArray body = m_parser->takeBody();
    if (body.isEmpty())
        return true;
    m_buffer += body;
    Q_EMIT readyRead();
    return !m_finished;
}

void Http1Reply::announce() {
    m_announced = true;
    if (QTcpSocket *socket = m_socket.data(); socket && m_parser->closeDelimited())
        Http1ConnectionPool::watchForReset(socket); // before the close can be read
    setAttribute(QNetworkRequest::HttpStatusCodeAttribute, m_parser->status());
    setAttribute(QNetworkRequest::HttpReasonPhraseAttribute,
                 QString::fromLatin1(m_parser->reason()));
    for (const auto &[name, value] : m_parser->headers()) {
        // Repeated fields are one comma-separated field (RFC 9110, 5.3), as Qt's own replies do.
        setRawHeader(name, hasRawHeader(name) ? rawHeader(name) + ", " + value : value);
    }
    Q_EMIT metaDataChanged();
}

void Http1Reply::onSocketError() {
    if (!m_socket || m_finished)
        return;
    const auto error = m_socket->error();
    if (error == QAbstractSocket::RemoteHostClosedError) {
        using Close = Http1ResponseParser::Close;
        Close how = Http1ConnectionPool::wasReset(m_socket) ? Close::Reset : Close::Orderly;
        if (how == Close::Orderly && qobject_cast<QSslSocket *>(m_socket) && !m_closeNotified)
            how = Close::WithoutCloseNotify;
        // Finishing may resume the coroutine that owns the client, and so delete this reply.
        const QPointer<Http1Reply> alive(this);
        readSocket(true); // what arrived before the close: bounded, since nothing more can come
        if (!alive || !m_socket || m_finished)
            return;
        m_parser->endOfStream(how);
        if (m_parser->done()) {
            if (takeParsed())
                exchangeDone(false);
            return;
        }
    }
    if (m_reused && !m_receivedAny && !m_retriedStale && idempotent(m_method)) {
        // The server closed a kept-alive connection just as it was reused: nothing was answered,
        // so asking again on a fresh connection is safe.
        m_retriedStale = true;
        qCDebug(lcNet).noquote() << originKey(m_target)
                                 << "closed a kept-alive connection on reuse: reconnecting";
        releaseSocket(false);
        startExchange();
        return;
    }
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return failWith(ConnectionRefusedError, QStringLiteral("Connection refused"));
    case QAbstractSocket::HostNotFoundError:
        return failWith(HostNotFoundError,
                        QStringLiteral("Host %1 not found").arg(m_target.host()));
    case QAbstractSocket::SocketTimeoutError:
        return failWith(TimeoutError, QStringLiteral("Socket operation timed out"));
    case QAbstractSocket::RemoteHostClosedError:
        return failWith(RemoteHostClosedError, m_parser->error());
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        return failWith(SslHandshakeFailedError, m_socket->errorString());
    default:
        return failWith(UnknownNetworkError, m_socket->errorString());
    }
}

void Http1Reply::exchangeDone(bool nothingExtra) {
    QTcpSocket *socket = m_socket.data();
    const bool reusable = nothingExtra && m_parser->keepAlive() && socket &&
                          socket->state() == QAbstractSocket::ConnectedState &&
                          socket->bytesAvailable() == 0;
    releaseSocket(reusable);
    finishOnce();
}

void Http1Reply::abort() {
    if (m_finished)
        return;
    failWith(OperationCanceledError, QStringLiteral("Operation canceled"));
    QIODevice::close();
}

void Http1Reply::releaseSocket(bool reusable) {
    if (!m_socket)
        return;
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    QObject::disconnect(socket, nullptr, this, nullptr);
    if (reusable) {
        m_pool.giveBack(m_target, socket);
    } else {
        socket->abort();
        socket->deleteLater();
    }
}

void Http1Reply::failWith(NetworkError code, const QString &message) {
    if (m_finished)
        return;
    releaseSocket(false);
    setError(code, message);
    Q_EMIT errorOccurred(code);
    finishOnce();
}

void Http1Reply::finishOnce() {
    if (m_finished)
        return;
    m_finished = true;
    setFinished(true);
    Q_EMIT finished();
}

} // namespace vigil::net
