// SPDX-License-Identifier: Apache-2.0
#include "itemresult.h"

#include "net/jsonpointer.h"
#include "util/safefile.h"

#include <QJsonArray>

namespace vigil::fetch {

QString statusName(ItemStatus status) {
    switch (status) {
    case ItemStatus::Ok:
        return QStringLiteral("ok");
    case ItemStatus::Failed:
        return QStringLiteral("failed");
    case ItemStatus::Timeout:
        return QStringLiteral("timeout");
    case ItemStatus::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

std::optional<ItemStatus> statusFromName(const QString &name) {
    for (auto s :
         {ItemStatus::Ok, ItemStatus::Failed, ItemStatus::Timeout, ItemStatus::Cancelled}) {
        if (statusName(s) == name)
            return s;
    }
    return std::nullopt;
}

QJsonValue ItemResult::fieldValue(const QString &name) const {
    for (const auto &[key, value] : fields) {
        if (key == name)
            return value;
    }
    return QJsonValue(QJsonValue::Undefined);
}

QString ItemResult::field(const QString &name) const {
    return net::jsonValueText(fieldValue(name));
}

QJsonObject ItemResult::toJson() const {
    QJsonObject fieldObject;
    for (const auto &[key, value] : fields)
        fieldObject.insert(key, value);
    QJsonObject o{{QStringLiteral("index"), index},
                  {QStringLiteral("rank"), rank},
                  {QStringLiteral("item"), item},
                  {QStringLiteral("url"), util::redactedUrlText(url)},
                  {QStringLiteral("status"), statusName(status)},
                  {QStringLiteral("http_status"), httpStatus},
                  {QStringLiteral("latency_ms"), latencyMs},
                  {QStringLiteral("queued_ms"), queuedMs},
                  {QStringLiteral("attempts"), attempts},
                  {QStringLiteral("bytes"), bytes},
                  {QStringLiteral("fields"), fieldObject}};
    if (!error.isEmpty())
        o.insert(QStringLiteral("error"), error);
    return o;
}

std::optional<ItemResult> ItemResult::fromJson(const QJsonObject &o) {
    const auto status = statusFromName(o.value(QStringLiteral("status")).toString());
    if (!status || !o.value(QStringLiteral("item")).isString() ||
        !o.value(QStringLiteral("index")).isDouble())
        return std::nullopt;
    ItemResult r;
    r.index = o.value(QStringLiteral("index")).toInt(-1);
    r.rank = o.value(QStringLiteral("rank")).toInt();
    r.item = o.value(QStringLiteral("item")).toString();
    r.url = o.value(QStringLiteral("url")).toString();
    r.status = *status;
    r.httpStatus = o.value(QStringLiteral("http_status")).toInt();
    r.latencyMs = o.value(QStringLiteral("latency_ms")).toDouble();
    r.queuedMs = o.value(QStringLiteral("queued_ms")).toDouble(); // 0 in journals before it
    r.attempts = o.value(QStringLiteral("attempts")).toInt();
    r.bytes = o.value(QStringLiteral("bytes")).toInteger(); // 0 when not a whole qint64
    r.error = o.value(QStringLiteral("error")).toString();
    const QJsonValue fields = o.value(QStringLiteral("fields"));
    if (fields.isObject()) {
        const QJsonObject object = fields.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            r.fields.append({it.key(), it.value()});
    }
    for (const auto &pair : fields.toArray()) { // the form before issue 12: [["name","text"]]
        const QJsonArray kv = pair.toArray();
        if (kv.size() == 2)
            r.fields.append({kv.at(0).toString(), kv.at(1)});
    }
    return r;
}

void BatchSummary::add(const ItemResult &r) {
    throttled += r.throttled;
    switch (r.status) {
    case ItemStatus::Ok:
        ++ok;
        break;
    case ItemStatus::Failed:
        ++failed;
        rateLimited += r.httpStatus == 429 ? 1 : 0;
        break;
    case ItemStatus::Timeout:
        ++timeout;
        break;
    case ItemStatus::Cancelled:
        ++cancelled;
        break;
    }
}

QString BatchSummary::line() const {
    const QString notSaved = unsaved > 0 ? QStringLiteral(" unsaved=%1").arg(unsaved) : QString();
    return QStringLiteral("fetched ok=%1 failed=%2 timeout=%3 cancelled=%4 wall_s=%5 rps=%6 "
                          "p50_ms=%7 p95_ms=%8 queue_p50_ms=%9 queue_p95_ms=%10 throttled=%11")
               .arg(ok)
               .arg(failed)
               .arg(timeout)
               .arg(cancelled)
               .arg(wallS, 0, 'f', 3)
               .arg(rps, 0, 'f', 1)
               .arg(p50Ms, 0, 'f', 1)
               .arg(p95Ms, 0, 'f', 1)
               .arg(queueP50Ms, 0, 'f', 1)
               .arg(queueP95Ms, 0, 'f', 1)
               .arg(throttled) +
           notSaved;
}

QString BatchSummary::rateLimitAdvice(const QString &rateSetting,
                                      const QString &waitSetting) const {
    if (rateLimited == 0)
        return {};
    return QStringLiteral("%1 item(s) failed with HTTP 429 Too Many Requests: the server limits "
                          "its request rate. Set a per-host rate below its limit (%2), or allow "
                          "longer waits for the server (%3).")
        .arg(rateLimited)
        .arg(rateSetting, waitSetting);
}

} // namespace vigil::fetch
