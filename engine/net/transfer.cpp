// SPDX-License-Identifier: Apache-2.0
#include "transfer.h"

#include "async/bytebudget.h"
#include "async/retryafter.h"
#include "async/waitqueue.h"
#include "bodydecoder.h"
#include "bodymemory.h"
#include "http1reply.h"
#include "util/logging.h"
#include "util/printable.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslError>

namespace vigil::net {

namespace {
// How soon a transfer whose receiver holds reads looks again. A download that verifies holds
// while a block (up to 1 MiB) waits for the hash, about 0.7 ms with SHA instructions: every
// millisecond of waiting past that is throughput lost.
constexpr auto kHoldRecheck = std::chrono::milliseconds(1);
// Qt stops reading the socket once this much waits in a capped reply's buffer.
constexpr qint64 kThrottledReadBuffer = 256 * 1024;
// A receiver that may only hold its reads (a download hashing behind) reads in large blocks: a
// loopback server fills 1 MiB between two passes of the loop, and each block costs one pass.
constexpr qint64 kHeldReadBuffer = 1024 * 1024;

} // namespace

Transfer::Transfer(async::Clock &clock, const HttpRequest &request, QNetworkReply *reply,
                   async::Clock::TimePoint started, const std::stop_token &token)
    : m_clock(clock)
    , m_request(request)
    , m_reply(reply)
    , m_started(started)
    , m_hopStarted(clock.now()) {
    if (capped())
        m_reply->setReadBufferSize(kThrottledReadBuffer);
    else if (throttled())
        m_reply->setReadBufferSize(kHeldReadBuffer);
    connectReply();
    armIdleTimer();
    armDeadlines();
    // Last: a stop already requested runs the hook here, and the abort needs all of the above.
    m_stopHook.emplace(token, OnStop{this});
}

Transfer::~Transfer() {
    m_stopHook.reset();
    for (const auto &connection : m_connections)
        QObject::disconnect(connection);
    for (const auto timer : {m_deadline, m_connectDeadline, m_idleTimer, m_throttleTimer})
        m_clock.cancel(timer);
    if (m_memory)
        m_memory->release(m_held);
    // Only when the awaiting coroutine was destroyed mid-flight: the reply must not run on alone.
    if (!m_finished)
        m_reply->abort();
    m_reply->deleteLater();
}

void Transfer::connectReply() {
    QNetworkReply *r = m_reply;
    m_connections = {
        QObject::connect(r, &QNetworkReply::readyRead, r, [this] { takeBody(); }),
        QObject::connect(r, &QNetworkReply::metaDataChanged, r, [this] { onMetaData(); }),
        QObject::connect(r, &QNetworkReply::finished, r, [this] { onFinished(); }),
        QObject::connect(r, &QNetworkReply::requestSent, r, [this] { m_sent = true; }),
        QObject::connect(r, &QNetworkReply::sslErrors, r,
                         [this](const QList<QSslError> &errors) {
                             // Never ignored: TLS is always verified. Keep the first reason.
                             if (m_tlsError.isEmpty() && !errors.isEmpty())
                                 m_tlsError = errors.first().errorString();
                         }),
    };
}

void Transfer::armDeadlines() {
    m_deadline = m_clock.callAt(m_started + m_request.timeout, [this] {
        m_deadline = 0;
        abortWith(Abort::Timeout);
    });
    // From now, not from m_started: after a redirect, the next hop connects afresh.
    m_connectDeadline = m_clock.callAfter(m_request.connectTimeout, [this] {
        m_connectDeadline = 0;
        if (!m_sent)
            abortWith(Abort::ConnectTimeout);
    });
}

void Transfer::armIdleTimer() {
    if (m_request.idleTimeout.count() <= 0)
        return;
    m_clock.cancel(m_idleTimer);
    m_idleTimer = m_clock.callAfter(m_request.idleTimeout, [this] { onIdle(); });
}

void Transfer::onIdle() {
    m_idleTimer = 0;
    // A held or capped transfer may sit in our own buffer: that is not the server stalling.
    if (!throttled() || m_reply->bytesAvailable() == 0)
        abortWith(Abort::IdleTimeout);
    else
        armIdleTimer();
}

void Transfer::armThrottle(async::Clock::TimePoint when) {
    if (m_throttleTimer == 0)
        m_throttleTimer = m_clock.callAt(when, [this] { onThrottleTimer(); });
}

void Transfer::onThrottleTimer() {
    m_throttleTimer = 0;
    takeBody();
    wakeIfSettled(false);
}

bool Transfer::capped() const {
    return m_request.bandwidth && !m_request.bandwidth->unlimited();
}

// Under a bandwidth cap only what the budget grants is read; the rest waits in Qt's bounded read
// buffer (and then in the socket), and a timer comes back for it.
void Transfer::takeBody() {
    if (!m_reply->isOpen()) // an aborted reply is closed; there is nothing left to read
        return;
    const qint64 waiting = m_reply->bytesAvailable();
    if (m_request.holdReads && waiting > 0 && m_request.holdReads())
        return armThrottle(m_clock.now() + kHoldRecheck);
    const qint64 allowed = capped() ? m_request.bandwidth->grant(waiting) : waiting;
    if (allowed < waiting)
        armThrottle(m_request.bandwidth->availableAt(waiting - allowed));
    QByteArray chunk;
    auto *lean = qobject_cast<Http1Reply *>(m_reply);
    if (lean && allowed == waiting)
        chunk = lean->takeAll(); // every byte waiting, without read()'s copy
    else if (allowed == waiting)
        chunk = m_reply->readAll();
    else
        chunk = m_reply->read(allowed);
    if (!chunk.isEmpty() && m_aborted == Abort::None)
        deliver(chunk);
}

void Transfer::deliver(const QByteArray &chunk) {
    m_response.bytesReceived += chunk.size();
    armIdleTimer();
    if (m_request.onChunk) {
        if (!m_request.onChunk(chunk))
            abortWith(Abort::Refused);
    } else if (m_decoder) {
        QByteArray decoded;
        const auto result =
            m_decoder->decode(chunk, decoded, m_request.maxBodyBytes - m_response.body.size());
        if (result == BodyDecoder::Result::Corrupt)
            abortWith(Abort::BadEncoding);
        else if (result == BodyDecoder::Result::PastLimit)
            abortWith(Abort::TooLarge);
        else
            keep(decoded);
    } else if (m_response.body.size() + chunk.size() > m_request.maxBodyBytes) {
        abortWith(Abort::TooLarge);
    } else {
        keep(chunk);
    }
}

void Transfer::keep(const QByteArray &bytes) {
    if (m_memory && !m_memory->take(bytes.size()))
        return abortWith(Abort::OverBudget);
    m_held += bytes.size();
    m_response.body += bytes;
}

void Transfer::onMetaData() {
    // Qt 6.4 drops every header of a response that passes its parser's limits, then reads the
    // body until the server closes: a stall reported as a timeout. A real response with a body
    // always has some header (Vigil's own transport has its own limits and says so).
    const auto *lean = qobject_cast<const Http1Reply *>(m_reply);
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_reply->rawHeaderPairs().isEmpty() && !lean && status != 204 && status != 304 &&
        m_request.method != "HEAD")
        return abortWith(Abort::HeadersDropped);
    // HttpClient asked for gzip when the caller named no Accept-Encoding; anything else is kept
    // as the server sent it.
    if (!m_request.onChunk && m_response.bytesReceived == 0 &&
        headerValue(m_request.headers, "Accept-Encoding").isEmpty())
        m_decoder = BodyDecoder::forCoding(m_reply->rawHeader("Content-Encoding"));
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (!m_request.onChunk && length.isValid()) {
        if (length.toLongLong() > m_request.maxBodyBytes)
            return abortWith(Abort::TooLarge);
        if (m_memory && !m_memory->fits(length.toLongLong()))
            return abortWith(Abort::OverBudget);
    }
    if (m_request.onHeaders &&
        !m_request.onHeaders(m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                             m_reply->rawHeaderPairs()))
        abortWith(Abort::Refused);
}

void Transfer::onFinished() {
    m_finished = true;
    if (m_aborted == Abort::None && m_throttleTimer == 0)
        takeBody(); // whatever arrived with the finish
    // A reply that finishes by itself resumes send() at once, inside its finished signal, as
    // QCoro's own reply awaiter does: the batch's next request then leaves in the same loop pass.
    // An aborted one resumes on the next pass, because the abort ran inside our own timer, cancel
    // or body callbacks; so does a throttled one, whose drain may go on.
    wakeIfSettled(m_aborted == Abort::None && !throttled());
}

void Transfer::abortWith(Abort why) {
    if (m_aborted != Abort::None)
        return;
    if (m_finished) {
        // The network part is over, so a late timer or cancel changes nothing; but a body the
        // receiver refused, one over the cap or the budget, or one that would not decode, must
        // not pass for a whole one.
        if (why != Abort::Timeout && why != Abort::ConnectTimeout && why != Abort::IdleTimeout &&
            why != Abort::Cancelled)
            m_aborted = why;
        return;
    }
    m_aborted = why;
    m_reply->abort();
}

// Finished means the network part is over; under a cap, part of the body may still wait in the
// reply's buffer for the budget.
bool Transfer::settled() const {
    return m_finished && (!throttled() || m_aborted != Abort::None || !m_reply->isOpen() ||
                          m_reply->bytesAvailable() == 0);
}

void Transfer::wakeIfSettled(bool now) {
    if (!settled())
        return;
    if (auto h = std::exchange(m_waiter, {})) {
        if (now)
            h.resume(); // may destroy this transfer: nothing may touch it afterwards
        else
            async::detail::resumeSoon(h);
    }
}

HttpResponse Transfer::takeResponse() {
    HttpResponse response = std::move(m_response);
    response.status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.headers = m_reply->rawHeaderPairs();
    response.finalUrl = m_reply->url();
    response.elapsed = m_clock.now() - m_started;
    if (const auto *own = qobject_cast<const Http1Reply *>(m_reply))
        response.timing = own->timing(ExchangeMarks::SteadyClock::now());
    else // Qt's own stack shows no phases: the whole hop counts as waiting
        response.timing =
            ExchangeTiming::unmeasured(float(async::toMs(m_clock.now() - m_hopStarted)));
    if (m_aborted != Abort::None) {
        describeAbort(response);
    } else if (response.status >= 400) {
        response.error = HttpErrorKind::HttpStatus;
        // The server chose the reason phrase: no control character may reach a terminal.
        const QString reason = util::printable(
            m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
        response.errorMessage =
            QStringLiteral("HTTP %1 %2").arg(response.status).arg(reason).trimmed();
        if (response.status == 429 || response.status == 503)
            response.retryAfter =
                async::parseRetryAfter(response.header("Retry-After"), m_clock.wallNow());
    } else if (m_reply->error() != QNetworkReply::NoError || !m_tlsError.isEmpty()) {
        describeFailure(response);
    } else if (m_decoder && !m_decoder->complete()) {
        response.error = HttpErrorKind::BadContent;
        response.errorMessage =
            QStringLiteral("the %1-encoded body ended before its compressed stream did")
                .arg(QString::fromLatin1(m_decoder->coding()));
    }
    // The origin and the kind only: Qt's own error strings can quote the whole URL.
    if (response.error != HttpErrorKind::None && response.error != HttpErrorKind::Cancelled)
        qCDebug(lcNet).noquote() << originKey(m_request.url) << errorKindName(response.error)
                                 << "status" << response.status << "after"
                                 << async::toMs(response.elapsed) << "ms";
    return response;
}

} // namespace vigil::net
