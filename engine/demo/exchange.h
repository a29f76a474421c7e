// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHttpServerResponder>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <chrono>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace vigil::demo {

using HeaderPairs = std::vector<std::pair<QByteArray, QByteArray>>;

/// @brief One request the demo server is answering: it counts as in flight from creation until
/// the response is fully written or the client goes away, and then deletes itself.
///
/// Holding the responder lets the server answer later (latency), never (/hang), or in a
/// flow-controlled trickle (/bytes, /slowbody, /huge) without buffering the body.
class Exchange : public QObject {
    Q_OBJECT
public:
    /// Produces up to maxBytes of body starting at offset.
    using BodySource = std::function<QByteArray(qint64 offset, qint64 maxBytes)>;

    Exchange(QHttpServerResponder &&responder, QObject *parent);
    ~Exchange() override;

    void respond(int status, const QByteArray &body, const QByteArray &mimeType,
                 const HeaderPairs &headers = {});
    void respondJson(int status, const QByteArray &json, const HeaderPairs &headers = {});

    /// Sends headers with Content-Length @p length, then the body from @p source as the socket
    /// drains; with @p chunkInterval > 0, one chunk of @p chunkSize per interval.
    void stream(int status, const HeaderPairs &headers, qint64 length, BodySource source,
                std::chrono::milliseconds chunkInterval = std::chrono::milliseconds(0),
                qint64 chunkSize = 64 * 1024);

    /// Keeps the request open until the client disconnects (or the server stops).
    void holdOpen() {}

Q_SIGNALS:
    /// Emitted once: @p completed is false when the client left before the response was done.
    void finished(bool completed);

private:
    void writeHead(int status, const HeaderPairs &headers);
    void pump();
    void finish(bool completed);

    std::optional<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket;
    BodySource m_source;
    qint64 m_length = 0;
    qint64 m_sent = 0;
    qint64 m_chunkSize = 0;
    QTimer m_trickle;
    bool m_done = false;
};

} // namespace vigil::demo
