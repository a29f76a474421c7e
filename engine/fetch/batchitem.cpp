// SPDX-License-Identifier: Apache-2.0
// One item's fetch: the request, the polite send, and what the answer makes of the result.
#include "batchrunner.h"
#include "itemlabel.h"
#include "requesttemplate.h"

#include "async/keyedratelimiter.h"
#include "async/retrypolicy.h"
#include "net/jsonpointer.h"
#include "util/safefile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vigil::fetch {

using net::HttpErrorKind;

namespace {
// Backoff for items without a server-given delay: 250 ms, 500 ms, … capped at 10 s.
constexpr auto kBaseBackoff = std::chrono::milliseconds(250);
constexpr auto kMaxBackoff = std::chrono::seconds(10);
constexpr auto kMaxRetryTime = std::chrono::minutes(10);

/// Fills @p r's field columns from a JSON body; false (with r.error) when the body does not fit.
bool extractFields(const QList<FieldSpec> &fields, const QByteArray &body, ItemResult &r) {
    if (fields.isEmpty())
        return true;
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        r.error = QStringLiteral("bad JSON: %1 at byte %2")
                      .arg(parseError.errorString())
                      .arg(parseError.offset);
        return false;
    }
    const QJsonValue root = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    for (const auto &f : fields) {
        QString why;
        const auto value = net::evaluateJsonPointer(root, f.pointer, &why);
        if (!value) {
            r.error = QStringLiteral("field %1: %2").arg(f.name, why);
            return false;
        }
        r.fields.append({f.name, *value});
    }
    return true;
}

} // namespace

QCoro::Task<BatchRunner::ItemTurn> BatchRunner::fetchItem(const BatchSpec &spec,
                                                          const HostTicket &ticket,
                                                          async::KeyedRateLimiter &limiter,
                                                          const net::PoliteResult *resume,
                                                          std::stop_token token) {
    ItemTurn turn;
    ItemResult &r = turn.result;
    r.index = ticket.index;
    const QString raw = spec.items.at(ticket.index);
    r.item = itemLabel(spec, raw);
    auto made = itemRequest(spec, raw, &r.error);
    if (!made) {
        r.status = ItemStatus::Failed;
        co_return turn;
    }
    net::HttpRequest request = std::move(*made);
    r.url = util::redactedUrlText(request.url.toString());
    request.timeout = spec.timeout;
    // The server's waits have their own bound, so they do not eat into the backoff's time. A
    // POST is sent once unless the user said it is safe: a retry could do it twice.
    async::RetryPolicy policy{mayRetry(spec) ? spec.retries + 1 : 1, kBaseBackoff, kMaxBackoff,
                              kMaxRetryTime + spec.maxServerWait};
    policy.maxServerWait = spec.maxServerWait;
    net::PoliteHooks hooks;
    hooks.parkOnPause = true; // the scheduler gives the slot to another host meanwhile
    hooks.tokenHeld = ticket.tokenHeld;
    hooks.resume = resume;
    auto send = net::sendPolitely(m_client, limiter, request, policy, m_clock, token, hooks);
    ++m_counters->inFlight; // waits for the host's token count too: the request is underway
    net::PoliteResult sent = co_await send;
    --m_counters->inFlight;
    if (sent.parked) {
        turn.parked = std::move(sent);
        co_return turn;
    }
    countSend(sent);
    const net::HttpResponse &response = sent.response;
    r.attempts = sent.attempts;
    r.throttled = sent.throttled;
    if (limiter.isAdaptive())
        r.hostRate = limiter.forKey(net::originKey(request.url)).rate();
    // Its first wait in its host's line; the time it was parked is in sent.waited.
    r.queuedMs = async::toMs(sent.waited + ticket.held);
    r.latencyMs = async::toMs(m_clock.now() - sent.carry.started - sent.waited);
    r.httpStatus = response.status;
    r.bytes = response.bytesReceived;
    r.contentType = QString::fromLatin1(response.header("Content-Type"));
    r.timeline = phasesOnTimeline(sent.timeline, m_startedAt, ticket.held, r.url);
    r.timelineZeroMs = m_wallStartedAt.toMSecsSinceEpoch();
    if (sent.cancelled || response.error == HttpErrorKind::Cancelled) {
        r.status = ItemStatus::Cancelled;
        r.error = QStringLiteral("cancelled");
    } else if (response.error == HttpErrorKind::Timeout) {
        r.status = ItemStatus::Timeout;
        r.error = response.errorMessage;
    } else if (!response.ok()) {
        r.status = ItemStatus::Failed;
        r.error = response.errorMessage;
    } else if (!extractFields(spec.fields, response.body, r)) {
        r.status = ItemStatus::Failed;
    } else {
        r.status = ItemStatus::Ok;
        if (spec.compute != ComputeStage::None)
            r.body = response.body;
    }
    co_return turn;
}

void BatchRunner::countSend(const net::PoliteResult &sent) {
    m_counters->retries += std::max(0, sent.attempts - 1);
    m_counters->hostPauses += sent.hostPauses;
    m_counters->throttled += sent.throttled;
    m_counters->bytes += sent.response.bytesReceived;
}

HostOutcome hostOutcome(const ItemResult &r) {
    if (r.status == ItemStatus::Cancelled || r.attempts == 0)
        return HostOutcome::Dropped;
    if (r.status == ItemStatus::Timeout || (r.status == ItemStatus::Failed && r.httpStatus == 0) ||
        r.httpStatus >= 500)
        return HostOutcome::HostFailed;
    return HostOutcome::Answered;
}

double lastWireMs(const ItemResult &r) {
    return r.timeline.isEmpty() ? -1.0 : double(r.timeline.last().exchange.totalMs());
}

} // namespace vigil::fetch
