// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httptypes.h"

#include "async/clock.h"

#include <QMetaObject>
#include <QString>

#include <array>
#include <coroutine>
#include <memory>
#include <optional>
#include <stop_token>

class QNetworkReply;

namespace vigil::net {

class BodyDecoder;
class BodyMemory;

/// @brief One request in flight on a QNetworkReply: hands the body to the receiver (or keeps it
/// under the size cap), enforces the deadlines (total, connect, idle), aborts on a stop request,
/// and builds the HttpResponse.
///
/// Owns the reply it is given. Everything it arms (signal connections, clock timers, the stop
/// callback) points at this object, and the destructor undoes all of it, so no callback runs once
/// the transfer is gone. Lives on the GUI thread, in the frame of HttpClient::send().
class Transfer {
public:
    /// Starts watching @p reply at once; a stop already requested on @p token aborts it here.
    /// @p request must outlive the transfer; @p started is when the total deadline began.
    Transfer(async::Clock &clock, const HttpRequest &request, QNetworkReply *reply,
             async::Clock::TimePoint started, const std::stop_token &token);
    ~Transfer();
    Transfer(const Transfer &) = delete;
    Transfer &operator=(const Transfer &) = delete;

    /// @brief Suspends until the reply has finished and, under a cap, its body has been taken.
    class Completion {
    public:
        explicit Completion(Transfer &transfer)
            : m_transfer(&transfer) {}
        [[nodiscard]] bool await_ready() const noexcept { return m_transfer->settled(); }
        void await_suspend(std::coroutine_handle<> h) const noexcept { m_transfer->m_waiter = h; }
        void await_resume() const noexcept {}

    private:
        Transfer *m_transfer;
    };
    [[nodiscard]] Completion completion() { return Completion(*this); }

    /// The outcome, once completion() has returned. Call once: the body is moved out.
    [[nodiscard]] HttpResponse takeResponse();
    /// Counts the kept body against @p memory, shared with other transfers, until this transfer
    /// ends; a body that would pass its budget fails as TooLarge.
    void holdBodyIn(BodyMemory &memory) { m_memory = &memory; }

private:
    enum class Abort {
        None,
        Timeout,
        ConnectTimeout,
        IdleTimeout,
        Cancelled,
        TooLarge,
        OverBudget,
        BadEncoding,
        HeadersDropped,
        Refused
    };
    struct OnStop {
        Transfer *transfer;
        void operator()() const { transfer->abortWith(Abort::Cancelled); }
    };

    void connectReply();
    void armDeadlines();
    void armIdleTimer();
    void onIdle();
    void armThrottle(async::Clock::TimePoint when);
    void onThrottleTimer();
    void takeBody();
    void deliver(const QByteArray &chunk);
    void onMetaData();
    void onFinished();
    void abortWith(Abort why);
    [[nodiscard]] bool throttled() const { return m_request.bandwidth || m_request.holdReads; }
    /// Under a bandwidth cap that limits (an unlimited budget reads as fast as an uncapped one).
    [[nodiscard]] bool capped() const;
    [[nodiscard]] bool settled() const;
    void wakeIfSettled(bool now);
    void describeAbort(HttpResponse &response) const;
    void describeFailure(HttpResponse &response) const;
    void keep(const QByteArray &bytes);

    async::Clock &m_clock;
    const HttpRequest &m_request;
    QNetworkReply *m_reply;
    async::Clock::TimePoint m_started;
    async::Clock::TimePoint m_hopStarted; ///< this transfer's own start (m_started: the request's)
    HttpResponse m_response;
    Abort m_aborted = Abort::None;
    bool m_finished = false;
    bool m_sent = false;
    QString m_tlsError;
    std::coroutine_handle<> m_waiter;
    async::Clock::TimerId m_deadline = 0;
    async::Clock::TimerId m_connectDeadline = 0;
    async::Clock::TimerId m_idleTimer = 0;
    async::Clock::TimerId m_throttleTimer = 0;
    std::array<QMetaObject::Connection, 5> m_connections;
    std::optional<std::stop_callback<OnStop>> m_stopHook;
    BodyMemory *m_memory = nullptr;
    qint64 m_held = 0; // body bytes counted in m_memory
    std::unique_ptr<BodyDecoder> m_decoder;
};

} // namespace vigil::net
