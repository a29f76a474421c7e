// SPDX-License-Identifier: Apache-2.0
#include "http1connectionpool.h"

#include "httptypes.h"

#include <QSslSocket>

#include <cerrno>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vigil::net {

namespace {
constexpr qint64 kIdleLimitMs = 30000;

/// A second descriptor of a socket's connection, closed with the socket. While it is open, the
/// kernel keeps the connection's state after Qt closes its own descriptor on a remote close:
/// CLOSE_WAIT after the peer's FIN, CLOSE after its RST.
class ResetProbe : public QObject {
public:
    ResetProbe(QTcpSocket *socket, int fd)
        : QObject(socket)
        , m_fd(fd) {}
    ~ResetProbe() override { ::close(m_fd); }
    [[nodiscard]] bool reset() const {
        tcp_info info{};
        socklen_t size = sizeof info;
        return ::getsockopt(m_fd, IPPROTO_TCP, TCP_INFO, &info, &size) == 0 &&
               info.tcpi_state == TCP_CLOSE;
    }

private:
    int m_fd;
};

// Qt's socket buffer is empty, but the kernel may already hold bytes (or a close) that no event
// has reported yet: a connection with anything pending cannot carry a new request.
bool quietInKernel(const QTcpSocket *socket) {
    char byte;
    const ssize_t n = ::recv(int(socket->socketDescriptor()), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}
} // namespace

Http1ConnectionPool::Http1ConnectionPool(QObject *parent)
    : QObject(parent)
    , m_sweep(this) { // a child, so that it moves with the pool to a download thread
    m_clock.start();
    m_sweep.setInterval(std::chrono::seconds(10));
    connect(&m_sweep, &QTimer::timeout, this, &Http1ConnectionPool::closeStale);
}

Http1ConnectionPool::~Http1ConnectionPool() {
    // The pool may die inside one of its sockets' own signals: the last reply's readyRead resumes
    // the coroutine that owns the client. A socket deleted now would return into freed memory
    // (QIODevice::channelReadyRead), so each is closed now and deleted once control is back.
    for (QTcpSocket *socket : findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly)) {
        QObject::disconnect(socket, nullptr, nullptr, nullptr);
        socket->setParent(nullptr);
        socket->abort();
        socket->deleteLater();
    }
}

QString Http1ConnectionPool::key(const QUrl &target) {
    return originKey(target); // the scheme too: an https connection never carries plain http
}

QTcpSocket *Http1ConnectionPool::take(const QUrl &target, bool *reused) {
    auto it = m_idle.find(key(target));
    while (it != m_idle.end() && !it->empty()) {
        QTcpSocket *socket = it->back().socket; // the most recently used is the likeliest alive
        it->pop_back();
        QObject::disconnect(socket, nullptr, this, nullptr);
        if (socket->state() == QAbstractSocket::ConnectedState && socket->bytesAvailable() == 0 &&
            quietInKernel(socket)) {
            *reused = true;
            return socket;
        }
        socket->abort();
        socket->deleteLater();
    }
    *reused = false;
    if (target.scheme() == QLatin1String("https"))
        return new QSslSocket(this);
    return new QTcpSocket(this);
}

void Http1ConnectionPool::giveBack(const QUrl &target, QTcpSocket *socket) {
    // While idle, anything the server sends or a close means the connection is no longer usable.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { drop(socket); });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] { drop(socket); });
    m_idle[key(target)].push_back({socket, m_clock.elapsed()});
    if (!m_sweep.isActive())
        m_sweep.start();
}

void Http1ConnectionPool::drop(QTcpSocket *socket) {
    for (auto &list : m_idle) {
        const auto it = std::find_if(list.begin(), list.end(),
                                     [socket](const Idle &i) { return i.socket == socket; });
        if (it != list.end()) {
            list.erase(it);
            QObject::disconnect(socket, nullptr, this, nullptr);
            socket->abort();
            socket->deleteLater();
            return;
        }
    }
}

void Http1ConnectionPool::closeStale() {
    const qint64 now = m_clock.elapsed();
    for (auto it = m_idle.begin(); it != m_idle.end();) {
        auto &list = it.value();
        const auto stale = std::partition(list.begin(), list.end(), [now](const Idle &i) {
            return now - i.since < kIdleLimitMs;
        });
        for (auto s = stale; s != list.end(); ++s) {
            QObject::disconnect(s->socket, nullptr, this, nullptr);
            s->socket->abort();
            s->socket->deleteLater();
        }
        list.erase(stale, list.end());
        it = list.empty() ? m_idle.erase(it) : std::next(it);
    }
    if (m_idle.isEmpty())
        m_sweep.stop();
}

namespace {
// ResetProbe has no meta-object of its own, so findChild() (qobject_cast) cannot tell it apart.
const ResetProbe *probeOf(const QTcpSocket *socket) {
    for (const QObject *child : socket->children()) {
        if (const auto *probe = dynamic_cast<const ResetProbe *>(child))
            return probe;
    }
    return nullptr;
}
} // namespace

void Http1ConnectionPool::watchForReset(QTcpSocket *socket) {
    if (probeOf(socket))
        return;
    const int fd = ::fcntl(int(socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    if (fd >= 0)
        new ResetProbe(socket, fd);
}

bool Http1ConnectionPool::wasReset(const QTcpSocket *socket) {
    const ResetProbe *probe = probeOf(socket);
    return probe && probe->reset();
}

int Http1ConnectionPool::idleCount() const {
    int n = 0;
    for (const auto &list : m_idle)
        n += int(list.size());
    return n;
}

} // namespace vigil::net
